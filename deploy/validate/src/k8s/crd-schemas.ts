// JSON schemas for the custom resources deploy/k8s uses. No npm package ships Strimzi or CloudNativePG models, so
// these are written from the CRDs (Strimzi 1.2 `kafka.strimzi.io/v1`, CloudNativePG 1.27
// `postgresql.cnpg.io/v1`): required fields, types and enums of the parts we set, and closed objects (no unknown
// keys) wherever every property of the CRD is listed here, so a misspelt field fails instead of being ignored.

type Schema = Record<string, unknown>;

const str: Schema = { type: 'string', minLength: 1 };
const int = (minimum = 0): Schema => ({ type: 'integer', minimum });
const bool: Schema = { type: 'boolean' };
const map: Schema = { type: 'object' };
const strMap: Schema = { type: 'object', additionalProperties: { type: 'string' } };
const quantity: Schema = {
  anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^[0-9.]+([eEinumkKMGTP]*[-+]?[0-9]*)$' }],
};
const resources: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    requests: { type: 'object', additionalProperties: quantity },
    limits: { type: 'object', additionalProperties: quantity },
    claims: { type: 'array' },
  },
};
const closed = (properties: Record<string, Schema>, required: string[] = []): Schema => ({
  type: 'object',
  additionalProperties: false,
  properties,
  required,
});
const resource = (spec: Schema): Schema => ({
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: str,
    kind: str,
    metadata: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$' },
        labels: strMap,
        annotations: strMap,
      },
    },
    spec,
  },
});

const storageVolume = closed(
  {
    id: int(),
    type: { enum: ['ephemeral', 'persistent-claim'] },
    size: str,
    sizeLimit: str,
    class: str,
    deleteClaim: bool,
    kraftMetadata: { enum: ['shared'] },
    selector: strMap,
    overrides: { type: 'array' },
  },
  ['type'],
);

const kafkaNodePool = resource(
  closed(
    {
      replicas: int(),
      roles: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['controller', 'broker'] } },
      storage: closed(
        {
          type: { enum: ['ephemeral', 'persistent-claim', 'jbod'] },
          volumes: { type: 'array', minItems: 1, items: storageVolume },
          size: str,
          class: str,
          deleteClaim: bool,
          kraftMetadata: { enum: ['shared'] },
          id: int(),
          selector: strMap,
          sizeLimit: str,
          overrides: { type: 'array' },
        },
        ['type'],
      ),
      resources,
      jvmOptions: map,
      template: map,
    },
    ['replicas', 'roles', 'storage'],
  ),
);

const listener = closed(
  {
    name: { type: 'string', pattern: '^[a-z0-9]{1,11}$' },
    port: int(9092),
    type: { enum: ['internal', 'route', 'loadbalancer', 'nodeport', 'ingress', 'cluster-ip'] },
    tls: bool,
    authentication: map,
    configuration: map,
    networkPolicyPeers: { type: 'array', items: map },
  },
  ['name', 'port', 'type', 'tls'],
);

const kafka = resource(
  closed(
    {
      kafka: {
        type: 'object',
        required: ['listeners'],
        properties: {
          version: { type: 'string', pattern: '^4\\.3\\.[0-9]+$' },
          metadataVersion: str,
          listeners: { type: 'array', minItems: 1, items: listener },
          authorization: closed(
            {
              type: { enum: ['simple', 'custom'] },
              superUsers: { type: 'array', items: str },
              authorizerClass: str,
              supportsAdminApi: bool,
            },
            ['type'],
          ),
          config: map,
        },
      },
      entityOperator: closed({ topicOperator: map, userOperator: map, template: map }),
      clusterCa: map,
      clientsCa: map,
      cruiseControl: map,
      kafkaExporter: map,
      maintenanceTimeWindows: { type: 'array', items: { type: 'string' } },
    },
    ['kafka'],
  ),
);

const artifact = closed(
  {
    type: { enum: ['jar', 'tgz', 'zip', 'maven', 'other'] },
    url: { type: 'string', pattern: '^https://' },
    sha512sum: { type: 'string', pattern: '^[0-9a-f]{128}$' },
    insecure: bool,
    fileName: str,
    group: str,
    artifact: str,
    version: str,
    repository: str,
  },
  ['type'],
);

const kafkaConnect = resource(
  closed(
    {
      version: { type: 'string', pattern: '^4\\.3\\.[0-9]+$' },
      replicas: int(),
      image: str,
      bootstrapServers: str,
      // v1 moved these out of `config` (where Strimzi now refuses them) and requires them.
      groupId: str,
      configStorageTopic: str,
      offsetStorageTopic: str,
      statusStorageTopic: str,
      tls: map,
      authentication: map,
      config: map,
      resources,
      livenessProbe: map,
      readinessProbe: map,
      jvmOptions: map,
      jmxOptions: map,
      logging: map,
      clientRackInitImage: str,
      rack: map,
      metricsConfig: map,
      tracing: map,
      template: map,
      externalConfiguration: map,
      build: closed(
        {
          output: closed(
            {
              type: { enum: ['docker', 'imagestream'] },
              image: str,
              pushSecret: str,
              additionalKanikoOptions: { type: 'array' },
              additionalBuildOptions: { type: 'array' },
            },
            ['type', 'image'],
          ),
          plugins: {
            type: 'array',
            minItems: 1,
            items: closed(
              {
                name: { type: 'string', pattern: '^[a-z0-9][-_a-z0-9]*[a-z0-9]$' },
                artifacts: { type: 'array', minItems: 1, items: artifact },
              },
              ['name', 'artifacts'],
            ),
          },
          resources,
        },
        ['output', 'plugins'],
      ),
      plugins: { type: 'array' },
    },
    ['bootstrapServers', 'groupId', 'configStorageTopic', 'offsetStorageTopic', 'statusStorageTopic'],
  ),
);

const kafkaConnector = resource(
  closed(
    {
      class: str,
      tasksMax: int(1),
      autoRestart: closed({ enabled: bool, maxRestarts: int() }),
      config: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
      pause: bool,
      state: { enum: ['paused', 'stopped', 'running'] },
      listOffsets: map,
      alterOffsets: map,
    },
    ['class', 'config'],
  ),
);

const kafkaTopic = resource(
  closed({
    partitions: int(1),
    replicas: { type: 'integer', minimum: 1, maximum: 32767 },
    config: map,
    topicName: str,
  }),
);

const aclOperation = {
  enum: [
    'Read',
    'Write',
    'Create',
    'Delete',
    'Alter',
    'Describe',
    'ClusterAction',
    'AlterConfigs',
    'DescribeConfigs',
    'IdempotentWrite',
    'All',
  ],
};

const kafkaUser = resource(
  closed({
    authentication: closed({ type: { enum: ['tls', 'tls-external', 'scram-sha-512'] }, password: map }, [
      'type',
    ]),
    authorization: closed(
      {
        type: { enum: ['simple'] },
        acls: {
          type: 'array',
          items: closed(
            {
              resource: closed(
                {
                  type: { enum: ['topic', 'group', 'cluster', 'transactionalId'] },
                  name: str,
                  patternType: { enum: ['literal', 'prefix'] },
                },
                ['type'],
              ),
              type: { enum: ['allow', 'deny'] },
              operations: { type: 'array', minItems: 1, items: aclOperation },
              host: str,
            },
            ['resource', 'operations'],
          ),
        },
      },
      ['type', 'acls'],
    ),
    quotas: map,
    template: map,
  }),
);

const role = closed(
  {
    name: str,
    ensure: { enum: ['present', 'absent'] },
    login: bool,
    replication: bool,
    superuser: bool,
    createdb: bool,
    createrole: bool,
    inherit: bool,
    bypassrls: bool,
    connectionLimit: { type: 'integer' },
    passwordSecret: closed({ name: str }, ['name']),
    disablePassword: bool,
    validUntil: str,
    inRoles: { type: 'array', items: str },
    comment: str,
  },
  ['name'],
);

const cnpgClusterSpecKeys = [
  'description',
  'inheritedMetadata',
  'imageCatalogRef',
  'imagePullPolicy',
  'schedulerName',
  'postgresUID',
  'postgresGID',
  'minSyncReplicas',
  'maxSyncReplicas',
  'replicationSlots',
  'replica',
  'superuserSecret',
  'enableSuperuserAccess',
  'certificates',
  'imagePullSecrets',
  'serviceAccountTemplate',
  'walStorage',
  'ephemeralVolumeSource',
  'startDelay',
  'stopDelay',
  'smartShutdownTimeout',
  'switchoverDelay',
  'failoverDelay',
  'livenessProbeTimeout',
  'affinity',
  'topologySpreadConstraints',
  'ephemeralVolumesSizeLimit',
  'priorityClassName',
  'primaryUpdateMethod',
  'backup',
  'nodeMaintenanceWindow',
  'monitoring',
  'externalClusters',
  'logLevel',
  'projectedVolumeTemplate',
  'env',
  'envFrom',
  'seccompProfile',
  'tablespaces',
  'enablePDB',
  'plugins',
  'probes',
];

const cnpgCluster = resource(
  closed(
    {
      ...Object.fromEntries(cnpgClusterSpecKeys.map((k) => [k, {}])),
      instances: int(1),
      imageName: str,
      primaryUpdateStrategy: { enum: ['supervised', 'unsupervised'] },
      postgresql: { type: 'object', properties: { parameters: strMap } },
      bootstrap: closed({
        initdb: {
          type: 'object',
          properties: {
            database: str,
            owner: str,
            postInitApplicationSQLRefs: closed({
              configMapRefs: { type: 'array', items: closed({ name: str, key: str }, ['name', 'key']) },
              secretRefs: { type: 'array', items: closed({ name: str, key: str }, ['name', 'key']) },
            }),
          },
        },
        recovery: map,
        pg_basebackup: map,
      }),
      managed: closed({ roles: { type: 'array', items: role }, services: map }),
      storage: closed({ size: str, storageClass: str, resizeInUseVolumes: bool, pvcTemplate: map }),
      resources,
    },
    ['instances'],
  ),
);

/** CRD_SCHEMAS maps `apiVersion/kind` of every custom resource deploy/k8s may contain to its schema. */
export const CRD_SCHEMAS: Record<string, Schema> = {
  'kafka.strimzi.io/v1/KafkaNodePool': kafkaNodePool,
  'kafka.strimzi.io/v1/Kafka': kafka,
  'kafka.strimzi.io/v1/KafkaConnect': kafkaConnect,
  'kafka.strimzi.io/v1/KafkaConnector': kafkaConnector,
  'kafka.strimzi.io/v1/KafkaTopic': kafkaTopic,
  'kafka.strimzi.io/v1/KafkaUser': kafkaUser,
  'postgresql.cnpg.io/v1/Cluster': cnpgCluster,
};
