// Talking to the Tandem server: JSON and NDJSON helpers. Every request carries the X-Tandem-UI header (the
// server refuses state changes from a browser without it, so other web sites cannot post them). The page
// never holds an API key: it opens a session (an HttpOnly, SameSite=Strict cookie) with the login code of the
// link `tandem serve` prints (`/#login=tw-…`, removed from the address bar at once) or with the key the user
// types. Without either it may chat, but confirming, privacy and settings answer 403 until it has one, and what
// the assistant tells it names the user's details instead of showing them ("your saved office address").

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function headers(extra = {}) {
  return { "X-Tandem-UI": "1", ...extra };
}

async function check(response) {
  if (response.ok) return response;
  let message = response.statusText;
  try {
    const body = await response.json();
    message = body.error?.message || body.detail?.[0]?.msg || message;
  } catch { /* not JSON: keep the status text */ }
  throw new ApiError(response.status, message);
}

let opening = null;

/** The login code of the link the page was opened with (`#login=…`, or `#memory&login=…`), taken out of the
 * address bar (the rest of the fragment, the page's section, stays). */
function loginFromLink() {
  const parts = window.location.hash.slice(1).split("&");
  const found = parts.find((part) => part.startsWith("login="));
  if (!found) return null;
  const rest = parts.filter((part) => part !== found).join("&");
  window.history.replaceState(null, "", window.location.pathname + window.location.search + (rest ? `#${rest}` : ""));
  return decodeURIComponent(found.slice("login=".length));
}

/** A key or a login code as the user pasted it: the code of a whole link, or the text itself. */
function typed(text) {
  const found = /[#&]login=([\w-]+)/.exec(text);
  return found ? found[1] : text.trim();
}

let scopes = null; // what the page's session may do, once asked (`holds`)

/** Open the page's session: with `key` (a login code or an API key), else without one (this device, no keys).
 * Resolves to `{ ok, message }`: why it was refused. */
async function openSession(key) {
  const response = await fetch("/api/ui/session", {
    method: "POST", headers: headers({ "Content-Type": "application/json" }), body: JSON.stringify(key ? { key } : {}),
  });
  scopes = null;
  if (response.ok) return { ok: true, message: "" };
  try {
    return { ok: false, message: (await response.json()).error?.message || response.statusText };
  } catch {
    return { ok: false, message: response.statusText };
  }
}

/** When a login code stops working (unix seconds: it is written into the code, `tw-<hex>-…`), or null. */
function expiry(code) {
  const found = /^tw-([0-9a-f]{1,12})-/.exec(code);
  return found ? parseInt(found[1], 16) : null;
}

/** The session of the link the page was opened with. Resolves to null when it opened (or there was no link),
 * else to why not: `{ expired }` (unix seconds; known from the code itself, before asking the server) or
 * `{ message }` (the server's: used already, altered). */
async function openLinked(code) {
  const ends = expiry(code);
  if (ends !== null && ends * 1000 <= Date.now()) return { expired: ends };
  const opened = await openSession(code);
  return opened.ok ? null : { message: opened.message };
}

const linked = loginFromLink();
/** Why the link the page was opened with opened no session (see `openLinked`); null when it did or there was none. */
export const linkProblem = linked ? openLinked(linked).catch((error) => ({ message: error.message })) : Promise.resolve(null);
const ready = linkProblem;

/** A session that may do more: without a key first (unless it lacked a scope), then with what the user types. */
async function session(lackedScope) {
  opening = opening || (async () => {
    if (!lackedScope && (await openSession(null)).ok) return true;
    const key = window.prompt("Login link (printed by tandem serve, or tandem keys link) or API key");
    return key ? (await openSession(typed(key))).ok : false;
  })();
  try {
    return await opening;
  } finally {
    opening = null;
  }
}

async function currentScopes() {
  const response = await fetch("/api/ui/session", { headers: headers() });
  return response.ok ? (await response.json()).scopes : [];
}

/** Whether the page's session holds `scope`; if not, ask once for the link (or a key) and look again. Used
 * before the page shows what may be bought: the dialog then shows the user's own details, not their names. */
export async function holds(scope) {
  await ready;
  scopes = scopes || await currentScopes();
  if (scopes.includes(scope)) return true;
  if (!(await session(true))) return false;
  scopes = await currentScopes();
  return scopes.includes(scope);
}

/** The `code` of an error answer's OpenAI-style body, or null (the body is left for the caller). */
async function errorCode(response) {
  try {
    return (await response.clone().json()).error?.code ?? null;
  } catch {
    return null;
  }
}

async function lacksScope(response) {
  return response.status === 403 && (await errorCode(response)) === "insufficient_scope";
}

const BUSY_TRIES = 3; // sent again at most this many times while the server answers 429

/** How long a 429 asks to wait, in ms: OpenAI's `retry-after-ms`, else `Retry-After` (seconds); at most a minute. */
function busyWait(response) {
  const ms = Number(response.headers.get("retry-after-ms")) || 1000 * Number(response.headers.get("retry-after"));
  return Math.min(60000, Math.max(100, ms || 2000));
}

/** Whether `response` is the server's own 429 for a full line (`rate_limit_exceeded`: nothing was done with the
 * request), not a cloud model's 429 passed on (`rate_limited`, after the turn's work began: review R25-3). */
async function lineFull(response) {
  return response.status === 429 && (await errorCode(response)) === "rate_limit_exceeded";
}

/** fetch with our headers. The server's 429 for a full line (it did nothing with the request, so sending it again is
 * safe) is sent again after the wait it names, and each wait is told to the page as a `tandem-busy` event on window
 * (`detail.seconds`), which says "busy, trying again in N s". */
async function fetchWhenFree(path, init) {
  for (let tries = 0; ; tries += 1) {
    const response = await fetch(path, { ...init, headers: headers(init.headers) });
    if (tries >= BUSY_TRIES || !(await lineFull(response))) return response;
    const wait = busyWait(response);
    window.dispatchEvent(new CustomEvent("tandem-busy", { detail: { seconds: Math.ceil(wait / 1000) } }));
    await new Promise((resolve) => { setTimeout(resolve, wait); });
  }
}

/** fetch with our headers (sent again while the server is busy); when the server wants a key or more scopes, open a
 * session (asking for the link or key) and try again. */
async function send(path, init = {}) {
  await ready;
  const first = await fetchWhenFree(path, init);
  const lacked = await lacksScope(first);
  if (first.status !== 401 && !lacked) return check(first);
  if (!(await session(lacked))) return check(first);
  return check(await fetchWhenFree(path, init));
}

export async function getJSON(path) {
  return (await send(path)).json();
}

export async function postJSON(path, body = {}) {
  return (await send(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }))
    .json();
}

export async function patchJSON(path, body = {}) {
  return (await send(path, { method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }))
    .json();
}

/** A file from the server, saved by the browser as `filename`. */
export async function download(path, filename) {
  const blob = await (await send(path)).blob();
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement("a"), { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export async function deleteJSON(path) {
  return (await send(path, { method: "DELETE" })).json();
}

export async function postForm(path, form) {
  return (await send(path, { method: "POST", body: form })).json();
}

/** POST `body` and call `onEvent` for each line of the NDJSON answer as it arrives. */
export async function streamNDJSON(path, body, onEvent) {
  const init = { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  await readLines(await send(path, init), (line) => onEvent(JSON.parse(line)));
}

/** The chat model's streamed answer to what a turn made no task of (told it cannot act; an answer claiming an act
 * gets the fact after it); `onDelta` gets each piece of text. */
export async function streamChat(messages, onDelta) {
  const init = { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ messages }) };
  await readLines(await send("/api/ui/chat", init), (line) => {
    if (!line.startsWith("data:")) return;
    const data = line.slice(5).trim();
    if (data === "[DONE]") return;
    const delta = JSON.parse(data).choices?.[0]?.delta?.content;
    if (delta) onDelta(delta);
  });
}

async function readLines(response, onLine) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    const lines = buffer.split("\n");
    buffer = lines.pop();
    for (const line of lines) if (line.trim()) onLine(line);
  }
  if (buffer.trim()) onLine(buffer);
}
