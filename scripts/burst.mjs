// node scripts/burst.mjs [CONNECTIONS]: a bounded burst through the edge. Sets up a bookable
// launch and 20 travellers, then opens CONNECTIONS (default 2000) connections at once, each with
// one request: half the public listing, a quarter bookings, a quarter sign-ins. Prints the
// answers per kind and status, and how many got no answer or no JSON. Exits 1 unless every
// connection got a JSON answer with 2xx, 409, 429 or 503. Needs the system up behind the edge
// (ASTRO_EDGE_URL) and `ulimit -n` above CONNECTIONS.
import http from 'node:http';

const edge = new URL(process.env.ASTRO_EDGE_URL ?? 'http://127.0.0.1:8080');
const connections = Number(process.argv[2] ?? 2000);
const timeoutMs = 30_000;
const travelerCount = 20;
const accepted = (status) => (status >= 200 && status < 300) || [409, 429, 503].includes(status);

// One request on a connection of its own (no agent: no reuse, no pooling limit).
function send(method, path, { body, headers = {} } = {}) {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = http.request(
      {
        host: edge.hostname, port: edge.port, path, method, agent: false,
        headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...headers },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => { text += chunk; });
        response.on('end', () => {
          let json;
          try { json = JSON.parse(text); } catch { json = undefined; }
          const type = response.headers['content-type'] ?? '';
          resolve({ status: response.statusCode, json, isJson: json !== undefined && /json/.test(type) });
        });
        response.on('error', (error) => resolve({ error: error.code ?? error.message }));
      },
    );
    request.setTimeout(timeoutMs, () => request.destroy(new Error('timeout')));
    request.on('error', (error) => resolve({ error: error.code ?? error.message }));
    request.end(payload);
  });
}

// Set-up requests wait out the edge's rate limits.
async function expectStatus(what, expected, sending) {
  let answer = await sending();
  while (answer.status === 429) {
    await new Promise((done) => setTimeout(done, 1000));
    answer = await sending();
  }
  if (answer.status !== expected) {
    throw new Error(`${what}: expected ${expected}, got ${answer.status ?? answer.error} ${JSON.stringify(answer.json)}`);
  }
  return answer.json;
}

const unique = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
const bearer = (token) => ({ authorization: `Bearer ${token}` });
const signIn = async (email, password) =>
  (await expectStatus(`sign-in ${email}`, 200, () => send('POST', '/api/system/auth/login', { body: { email, password } }))).access_token;

async function setUp() {
  const it = await signIn(process.env.ASTRO_SEED_IT_EMAIL ?? 'it@astro.local', process.env.ASTRO_SEED_IT_PASSWORD ?? 'itpassword123');
  const agencyEmail = `burst-agency-${unique}@astro.test`;
  await expectStatus('agency account', 201, () => send('POST', '/api/system/users', {
    headers: bearer(it), body: { name: 'Burst Agency', email: agencyEmail, password: 'agency-pass-12', role: 'agency' },
  }));
  const agency = await signIn(agencyEmail, 'agency-pass-12');
  const rocket = await expectStatus('rocket', 201, () => send('POST', '/api/admin/rockets', {
    headers: bearer(agency), body: { name: `Burst ${unique}`, model: 'B1', capacity: 100, range: 'mars' },
  }));
  const launch = await expectStatus('launch', 201, () => send('POST', '/api/admin/launches', {
    headers: bearer(agency),
    body: {
      rocket_id: rocket.id, mission_name: 'Burst Mission', spaceport: 'Kourou', destination: 'mars',
      launch_at: new Date(Date.now() + 400 * 86_400_000).toISOString(), price_per_seat_cents: 10_000, minimum_passengers: 1,
    },
  }));
  for (let waited = 0; ; waited += 200) {
    const listing = await send('GET', '/api/customer/launches');
    if (listing.json?.items?.some((item) => item.id === launch.id)) break;
    if (waited > 20_000) throw new Error('the launch never reached the public listing');
    await new Promise((done) => setTimeout(done, 200));
  }
  // Each traveller books once; more of them make more bookings that can succeed.
  const travelers = [];
  for (let number = 0; number < travelerCount; number += 1) {
    const email = `burst-traveler-${unique}-${number}@astro.test`;
    await expectStatus('registration', 201, () => send('POST', '/api/system/auth/register', {
      body: { name: 'Burst Traveler', email, password: 'traveler-pass-1' },
    }));
    travelers.push({ email, token: await signIn(email, 'traveler-pass-1') });
  }
  return { launchId: launch.id, travelers };
}

function request(number, { launchId, travelers }) {
  const traveler = travelers[Math.floor(number / 4) % travelers.length];
  switch (number % 4) {
    case 0:
      return ['booking', send('POST', '/api/customer/bookings', {
        headers: { ...bearer(traveler.token), 'idempotency-key': `burst-${unique}-${number}` },
        body: { launch_id: launchId, passengers: [{ name: 'Ada', email: 'ada@astro.test', phone: '+1 555 0100', age: 35 }] },
      })];
    case 1:
      return ['sign-in', send('POST', '/api/system/auth/login', { body: { email: traveler.email, password: 'traveler-pass-1' } })];
    default:
      return ['listing', send('GET', '/api/customer/launches')];
  }
}

const fixture = await setUp();
const started = performance.now();
const requests = Array.from({ length: connections }, (_, number) => request(number, fixture));
const answers = await Promise.all(requests.map(async ([kind, promise]) => ({ kind, ...(await promise) })));
const seconds = (performance.now() - started) / 1000;

const counts = {};
let unanswered = 0;
let notJson = 0;
let refused = 0;
for (const answer of answers) {
  const code = answer.status >= 300 ? ` ${answer.json?.code ?? '(no code)'}` : '';
  const key = `${answer.kind} ${answer.status === undefined ? `no answer (${answer.error})` : `${answer.status}${code}`}`;
  counts[key] = (counts[key] ?? 0) + 1;
  if (answer.status === undefined) unanswered += 1;
  else if (!answer.isJson) notJson += 1;
  else if (!accepted(answer.status)) refused += 1;
}
console.log(`${connections} connections through ${edge.origin} in ${seconds.toFixed(1)} s`);
for (const key of Object.keys(counts).sort()) console.log(`  ${key}: ${counts[key]}`);
console.log(`not answered: ${unanswered}, answered without JSON: ${notJson}, other statuses: ${refused}`);
process.exit(unanswered + notJson + refused === 0 ? 0 : 1);
