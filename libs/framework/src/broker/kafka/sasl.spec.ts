import { describe, expect, it } from 'vitest';
import { kafkajsSasl, kafkaSaslEnv, kafkaSaslFromEnv, platformaticSasl } from './sasl';

describe('kafkaSaslFromEnv', () => {
  it('reads a principal, SCRAM-SHA-512 unless told otherwise, and round-trips through kafkaSaslEnv', () => {
    const sasl = kafkaSaslFromEnv({ KAFKA_USERNAME: 'post', KAFKA_PASSWORD: 'pw' });
    expect(sasl).toEqual({ mechanism: 'scram-sha-512', username: 'post', password: 'pw' });
    expect(kafkaSaslFromEnv(kafkaSaslEnv({ mechanism: 'plain', username: 'a', password: 'b' }))).toEqual({
      mechanism: 'plain',
      username: 'a',
      password: 'b',
    });
  });

  it('is undefined without credentials and names the missing or bad variable otherwise', () => {
    expect(kafkaSaslFromEnv({})).toBeUndefined();
    expect(() => kafkaSaslFromEnv({ KAFKA_PASSWORD: 'pw' })).toThrow(/^KAFKA_USERNAME: is required/);
    expect(() => kafkaSaslFromEnv({ KAFKA_USERNAME: 'post' })).toThrow(/^KAFKA_PASSWORD: is required/);
    expect(() =>
      kafkaSaslFromEnv({ KAFKA_USERNAME: 'post', KAFKA_PASSWORD: 'pw', KAFKA_SASL_MECHANISM: 'kerberos' }),
    ).toThrow(/^KAFKA_SASL_MECHANISM: unknown mechanism "kerberos"/);
  });

  it('speaks each client s dialect', () => {
    const sasl = { mechanism: 'scram-sha-512', username: 'u', password: 'p' } as const;
    expect(kafkajsSasl(sasl)).toEqual(sasl);
    expect(platformaticSasl(sasl)).toEqual({ mechanism: 'SCRAM-SHA-512', username: 'u', password: 'p' });
    expect(kafkajsSasl(undefined)).toBeUndefined();
  });
});
