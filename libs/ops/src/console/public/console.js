// The console page: plain DOM and SVG, no build step. Data from /api/*, live refresh from /api/live (SSE).
'use strict';
const $ = (sel) => document.querySelector(sel);
const el = (tag, attrs = {}, ...children) => {
  const node = tag.startsWith('svg:')
    ? document.createElementNS('http://www.w3.org/2000/svg', tag.slice(4))
    : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.setAttribute('class', v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c ?? '')));
  return node;
};
const fmtAgo = (ms) => {
  const s = Math.round((Date.now() - ms) / 1000);
  return s < 60 ? `${s}s ago` : s < 3600 ? `${Math.floor(s / 60)}m ago` : `${Math.floor(s / 3600)}h ago`;
};
const dur = (s) =>
  s === undefined || s === null
    ? '-'
    : s < 60
      ? `${s}s`
      : s < 3600
        ? `${Math.floor(s / 60)}m ${s % 60}s`
        : `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;

async function api(path, init) {
  const res = await fetch(path, init);
  const body = await res.json().catch(() => ({}));
  if (!res.ok)
    throw new Error(body.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${res.status}`);
  return body;
}
function showError(error) {
  const p = $('#error');
  p.hidden = !error;
  p.textContent = error ? String(error.message ?? error) : '';
}
function fill(tbody, rows) {
  tbody.replaceChildren(...rows);
}

// --- services ---------------------------------------------------------------------------------------------------
function renderServices(states) {
  fill(
    $('#services-table tbody'),
    states.flatMap((s) =>
      s.nodes.map((n) =>
        el(
          'tr',
          {},
          el('td', {}, s.name),
          el('td', {}, n.grpc ?? '(REST)'),
          el('td', {}, n.admin),
          el('td', {}, n.version ?? '-'),
          el('td', { class: n.health }, n.health),
          el('td', {}, dur(n.uptimeSeconds)),
          el(
            'td',
            {},
            ...(n.breakers.length === 0
              ? ['-']
              : n.breakers.map((b) => el('div', { class: b.state }, `${b.endpoint} ${b.state}`))),
          ),
        ),
      ),
    ),
  );
}
async function loadServices() {
  renderServices(await api('/api/services'));
}

// --- map --------------------------------------------------------------------------------------------------------
async function loadMap() {
  const t = await api('/api/topology');
  const svg = $('#map-svg');
  const services = t.services.filter((s) => s !== 'api-gateway');
  const W = 1100,
    rowH = 70,
    H = Math.max(services.length, t.topics.length) * rowH + 120;
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('height', String(H));
  svg.replaceChildren();
  const pos = {};
  pos['api-gateway'] = { x: 20, y: H / 2 - 20, w: 130 };
  services.forEach((s, i) => (pos[s] = { x: 260, y: 60 + i * rowH, w: 130 }));
  t.topics.forEach((tp, i) => (pos[tp.topic] = { x: 620, y: 60 + i * rowH, w: 260 }));
  const box = (id, label, sub, cls) => {
    const p = pos[id];
    svg.append(
      el('svg:rect', {
        x: p.x,
        y: p.y,
        width: p.w,
        height: 40,
        rx: 6,
        fill: cls === 'topic' ? '#fff7e6' : '#e8f0ff',
        stroke: '#8a99b3',
        'data-node': id,
      }),
    );
    svg.append(el('svg:text', { x: p.x + 8, y: p.y + 17, 'font-size': 13, 'font-weight': 600 }, label));
    if (sub) svg.append(el('svg:text', { x: p.x + 8, y: p.y + 33, 'font-size': 11, fill: '#555' }, sub));
  };
  const line = (x1, y1, x2, y2, color, label, dashed) => {
    svg.append(
      el('svg:line', {
        x1,
        y1,
        x2,
        y2,
        stroke: color,
        'stroke-width': 1.4,
        'stroke-dasharray': dashed ? '4 3' : '',
        'marker-end': 'url(#arrow)',
      }),
    );
    if (label !== undefined)
      svg.append(
        el('svg:text', { x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 3, 'font-size': 10, fill: color }, label),
      );
  };
  svg.append(
    el(
      'svg:defs',
      {},
      el(
        'svg:marker',
        {
          id: 'arrow',
          viewBox: '0 0 10 10',
          refX: 9,
          refY: 5,
          markerWidth: 6,
          markerHeight: 6,
          orient: 'auto',
        },
        el('svg:path', { d: 'M0,0 L10,5 L0,10 z', fill: '#555' }),
      ),
    ),
  );
  for (const e of t.rpc) {
    const a = pos[e.from],
      b = pos[e.to];
    if (a && b) line(a.x + a.w, a.y + 20, b.x, b.y + 20, '#2f5fb3', `${e.calls} calls`);
  }
  for (const tp of t.topics) {
    const b = pos[tp.topic];
    for (const p of tp.producers) {
      const a = pos[p];
      if (a) line(a.x + a.w, a.y + 14, b.x, b.y + 14, '#b26a00', undefined);
    }
    for (const c of tp.consumers) {
      const a = pos[c];
      if (a) line(b.x, b.y + 28, a.x + a.w, a.y + 28, '#11813a', undefined, true);
    }
  }
  box('api-gateway', 'api-gateway', 'REST -> gRPC');
  services.forEach((s) => box(s, s, ''));
  t.topics.forEach((tp) =>
    box(tp.topic, tp.topic, `${tp.records} records, ${tp.deadLetters} dead letters`, 'topic'),
  );
  svg.append(
    el('svg:text', { x: 20, y: 24, 'font-size': 12, fill: '#2f5fb3' }, 'blue: gRPC calls (client metrics)'),
  );
  svg.append(el('svg:text', { x: 260, y: 24, 'font-size': 12, fill: '#b26a00' }, 'orange: emits (outbox)'));
  svg.append(
    el('svg:text', { x: 460, y: 24, 'font-size': 12, fill: '#11813a' }, 'green dashed: consumes (inbox)'),
  );
}

// --- sagas ------------------------------------------------------------------------------------------------------
let currentSaga;
async function loadSagas() {
  const f = new FormData($('#saga-filter'));
  const q = new URLSearchParams({
    type: f.get('type') || '',
    status: f.get('status') || '',
    stuck: f.get('stuck') ? 'true' : '',
  });
  const list = await api(`/api/sagas?${q}`);
  fill(
    $('#sagas-table tbody'),
    list.map((s) =>
      el(
        'tr',
        { class: 'clickable', 'data-saga': s.sagaId, onclick: () => openSaga(s.sagaId) },
        el('td', {}, s.sagaId),
        el('td', {}, s.type),
        el('td', { class: s.stuck ? 'stuck' : s.status }, s.stuck ? `${s.status} (STUCK)` : s.status),
        el('td', {}, fmtAgo(s.startedAt)),
        el('td', {}, s.steps),
        el(
          'td',
          {},
          s.waitingOn
            ? `${s.waitingOn.service} on ${s.waitingOn.event}${s.waitingOn.why === 'dead-lettered' ? ' (dead-lettered)' : ''}`
            : '',
        ),
      ),
    ),
  );
  if (currentSaga) await openSaga(currentSaga);
}
async function openSaga(id) {
  currentSaga = id;
  const s = await api(`/api/sagas/${encodeURIComponent(id)}`);
  $('#saga-detail').hidden = false;
  $('#saga-title').textContent = `${s.type} ${s.sagaId}`;
  const meta = $('#saga-meta');
  meta.replaceChildren(
    el('span', { class: s.stuck ? 'stuck' : s.status }, s.stuck ? `${s.status} (STUCK)` : s.status),
    ` started ${new Date(s.startedAt).toISOString()}`,
    s.waitingOn ? ` · waiting on ${s.waitingOn.service} (${s.waitingOn.event}, ${s.waitingOn.why})` : '',
    ' · ',
    s.traceUrl
      ? el('a', { href: s.traceUrl, target: '_blank', rel: 'noopener', id: 'trace-link' }, 'trace')
      : 'no trace',
  );
  renderSwimlanes(s);
  fill(
    $('#participants tbody'),
    s.participants.map((p) =>
      el(
        'tr',
        {},
        el('td', {}, p.service),
        el('td', {}, p.entity),
        el('td', {}, p.id),
        el('td', {}, JSON.stringify(p.state)),
      ),
    ),
  );
}
function renderSwimlanes(s) {
  const svg = $('#swimlanes');
  const lanes = [
    ...new Set(s.steps.flatMap((st) => [st.producer, ...st.consumedBy.map((c) => c.service), ...st.pending])),
  ];
  const t0 = s.startedAt;
  const times = s.steps.flatMap((st) => [st.at, ...st.consumedBy.filter((c) => c.at).map((c) => c.at)]);
  const span = Math.max(1, Math.max(...times) - t0);
  const W = 1100,
    left = 110,
    laneH = 56,
    H = lanes.length * laneH + 50;
  const x = (t) => left + ((t - t0) / span) * (W - left - 160);
  const y = (lane) => 30 + lanes.indexOf(lane) * laneH + laneH / 2;
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('height', String(H));
  svg.replaceChildren();
  svg.append(
    el(
      'svg:defs',
      {},
      el(
        'svg:marker',
        {
          id: 'arr2',
          viewBox: '0 0 10 10',
          refX: 9,
          refY: 5,
          markerWidth: 6,
          markerHeight: 6,
          orient: 'auto',
        },
        el('svg:path', { d: 'M0,0 L10,5 L0,10 z', fill: '#777' }),
      ),
    ),
  );
  lanes.forEach((lane) => {
    svg.append(el('svg:line', { x1: left, x2: W - 20, y1: y(lane), y2: y(lane), stroke: '#e3e6eb' }));
    svg.append(
      el(
        'svg:text',
        { x: 8, y: y(lane) + 4, 'font-size': 13, 'font-weight': 600, class: 'lane', 'data-lane': lane },
        lane,
      ),
    );
  });
  svg.append(el('svg:text', { x: left, y: H - 8, 'font-size': 11, fill: '#555' }, '0 ms'));
  svg.append(el('svg:text', { x: W - 170, y: H - 8, 'font-size': 11, fill: '#555' }, `+${span} ms`));
  s.steps.forEach((st, i) => {
    const px = x(st.at),
      py = y(st.producer);
    const color = st.compensation ? '#c62828' : '#2f5fb3';
    for (const c of st.consumedBy) {
      const cx = c.at ? x(c.at) : px + 30;
      svg.append(
        el('svg:line', {
          x1: px,
          y1: py,
          x2: cx,
          y2: y(c.service),
          stroke: '#777',
          'marker-end': 'url(#arr2)',
        }),
      );
      svg.append(el('svg:rect', { x: cx - 4, y: y(c.service) - 4, width: 8, height: 8, fill: '#11813a' }));
    }
    for (const p of st.pending) {
      const dead = st.deadLetters.some((d) => d.consumer === p);
      svg.append(
        el('svg:line', {
          x1: px,
          y1: py,
          x2: px + 40,
          y2: y(p),
          stroke: dead ? '#c62828' : '#b26a00',
          'stroke-dasharray': '4 3',
        }),
      );
      svg.append(
        el(
          'svg:text',
          { x: px + 44, y: y(p) + 4, 'font-size': 11, fill: dead ? '#c62828' : '#b26a00' },
          dead ? 'DEAD-LETTERED' : 'pending',
        ),
      );
    }
    const dot = el('svg:circle', {
      cx: px,
      cy: py,
      r: 7,
      fill: color,
      class: 'step',
      'data-step': st.type,
      'data-compensation': String(st.compensation),
      onclick: () => ($('#step-detail').textContent = JSON.stringify(st, null, 2)),
    });
    dot.append(
      el('svg:title', {}, `${st.type} by ${st.producer}${st.compensation ? ' (compensation)' : ''}`),
    );
    svg.append(dot);
    svg.append(
      el(
        'svg:text',
        { x: px + 9, y: py - 9 - (i % 2) * 11, 'font-size': 11, fill: color },
        `${st.compensation ? '↩ ' : ''}${st.type}`,
      ),
    );
  });
}

// --- dead letters -----------------------------------------------------------------------------------------------
async function loadDlq() {
  const list = await api('/api/dlq');
  fill(
    $('#dlq-table tbody'),
    list.map((l) =>
      el(
        'tr',
        { 'data-letter': l.id },
        el(
          'td',
          {},
          el(
            'a',
            {
              href: '#dlq',
              onclick: (e) => {
                e.preventDefault();
                inspect(l.id);
              },
            },
            l.id,
          ),
        ),
        el('td', {}, l.eventType ?? ''),
        el('td', {}, l.consumer ?? ''),
        el('td', {}, l.attempts ?? ''),
        el('td', {}, l.failedAt ?? ''),
        el(
          'td',
          {},
          l.redrives.length ? `${l.redrives.length}x (${l.redrives[l.redrives.length - 1].actor})` : 'no',
        ),
        el('td', {}, (l.error ?? '').slice(0, 120)),
        el(
          'td',
          {},
          el('button', { type: 'button', class: 'redrive', onclick: () => redrive(l) }, 'Redrive'),
        ),
      ),
    ),
  );
}
async function inspect(id) {
  const pre = $('#dlq-detail');
  pre.hidden = false;
  pre.textContent = JSON.stringify(await api(`/api/dlq/${encodeURIComponent(id)}`), null, 2);
}
async function redrive(letter) {
  if (!confirm(`Redrive ${letter.eventType} ${letter.id} to ${letter.original.topic}?`)) return;
  try {
    await api(`/api/dlq/${encodeURIComponent(letter.id)}/redrive`, {
      method: 'POST',
      headers: writeHeaders(),
    });
    showError();
    await loadDlq();
  } catch (e) {
    showError(e);
  }
}
$('#redrive-all').addEventListener('click', async () => {
  if (!confirm('Redrive every dead letter that was not redriven yet?')) return;
  try {
    await api('/api/dlq/redrive', {
      method: 'POST',
      headers: { ...writeHeaders(), 'content-type': 'application/json' },
      body: '{}',
    });
    await loadDlq();
  } catch (e) {
    showError(e);
  }
});
function writeHeaders() {
  const token = sessionStorage.getItem('consoleToken');
  return token ? { authorization: `Bearer ${token}` } : {};
}

// --- lag --------------------------------------------------------------------------------------------------------
async function loadLag() {
  const rows = await api('/api/lag');
  fill(
    $('#lag-table tbody'),
    rows.map((r) =>
      el(
        'tr',
        {},
        el('td', {}, r.group),
        el('td', {}, r.topic),
        el('td', {}, r.partition),
        el('td', {}, r.committed ?? '-'),
        el('td', {}, r.high),
        el('td', { class: r.lag > 0 ? 'RUNNING' : '' }, r.lag),
      ),
    ),
  );
}

// --- tabs and live updates --------------------------------------------------------------------------------------
const loaders = { catalog: loadServices, map: loadMap, sagas: loadSagas, dlq: loadDlq, lag: loadLag };
let tab = 'catalog';
async function show(name) {
  tab = loaders[name] ? name : 'catalog';
  for (const s of document.querySelectorAll('main > section')) s.hidden = s.id !== tab;
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.dataset.tab === tab);
  try {
    await loaders[tab]();
    showError();
  } catch (e) {
    showError(e);
  }
  document.body.dataset.loaded = tab;
}
window.addEventListener('hashchange', () => show(location.hash.slice(1)));
$('#saga-filter').addEventListener('change', () => loadSagas().catch(showError));
const live = new EventSource('/api/live');
live.addEventListener('open', () => {
  $('#live').textContent = 'live';
  $('#live').classList.add('on');
});
live.addEventListener('error', () => {
  $('#live').textContent = 'reconnecting';
  $('#live').classList.remove('on');
});
live.addEventListener('services', (e) => {
  if (tab === 'catalog') renderServices(JSON.parse(e.data));
});
let refreshing;
live.addEventListener('change', () => {
  if (tab === 'catalog' || refreshing) return;
  refreshing = setTimeout(() => {
    refreshing = undefined;
    loaders[tab]().catch(showError);
  }, 500);
});
show(location.hash.slice(1) || 'catalog');
