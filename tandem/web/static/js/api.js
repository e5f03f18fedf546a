// Talking to the Tandem server: JSON and NDJSON helpers. Every request carries the X-Tandem-UI header (the
// server refuses UI actions without it, so other web sites cannot post them) and the API key if one is set.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function headers(extra = {}) {
  const out = { "X-Tandem-UI": "1", ...extra };
  const key = localStorage.getItem("tandem.key");
  if (key) out.Authorization = `Bearer ${key}`;
  return out;
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

export async function getJSON(path) {
  return (await check(await fetch(path, { headers: headers() }))).json();
}

export async function postJSON(path, body = {}) {
  const init = { method: "POST", headers: headers({ "Content-Type": "application/json" }), body: JSON.stringify(body) };
  return (await check(await fetch(path, init))).json();
}

export async function postForm(path, form) {
  return (await check(await fetch(path, { method: "POST", headers: headers(), body: form }))).json();
}

/** POST `body` and call `onEvent` for each line of the NDJSON answer as it arrives. */
export async function streamNDJSON(path, body, onEvent) {
  const init = { method: "POST", headers: headers({ "Content-Type": "application/json" }), body: JSON.stringify(body) };
  await readLines(await check(await fetch(path, init)), (line) => onEvent(JSON.parse(line)));
}

/** An OpenAI-style streamed chat completion; `onDelta` gets each piece of text. */
export async function streamChat(model, messages, onDelta) {
  const init = {
    method: "POST", headers: headers({ "Content-Type": "application/json" }),
    body: JSON.stringify({ model, messages, stream: true }),
  };
  await readLines(await check(await fetch("/v1/chat/completions", init)), (line) => {
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
