// The chat: a turn goes to the assistant, whose tasks stream in as cards (side by side, one per task);
// text that is not a command is answered by the chat model, streamed token by token.
import { getJSON, holds, postJSON, streamChat, streamNDJSON } from "./api.js";
import { renderCard } from "./cards.js";
import { askConfirmation } from "./confirm.js";
import { h, toast } from "./dom.js";
import { t } from "./i18n.js";

const tasks = new Map(); // task id -> latest task JSON
const history = []; // chat messages for the model fallback
const localized = new Map(); // message element -> [i18n key, vars]
let conversationId = sessionStorage.getItem("tandem.conversation");

function log() {
  return document.getElementById("log");
}

/** A chat message; `key` (an i18n key with `vars`) makes it follow language switches. */
function bubble(role, text = "", key = null, vars = {}) {
  const body = h("div", { class: "text" }, key ? t(key, vars) : text);
  if (key) localized.set(body, [key, vars]);
  const item = h("li", { class: `msg ${role}` }, body);
  log().append(item);
  item.scrollIntoView({ block: "end" });
  return { item, body };
}

const actions = {
  review: (task) => review(task),
  cancel: (task) => act(task, `/api/ui/tasks/${encodeURIComponent(task.id)}/cancel`),
  answer: (task, text) => text && act(task, `/api/ui/tasks/${encodeURIComponent(task.id)}/answer`, { text }),
};

/** Put the task's card where it is (or into `container` the first time). */
export function showTask(task, container = null) {
  tasks.set(task.id, task);
  const old = document.querySelector(`.card[data-task-id="${CSS.escape(task.id)}"]`);
  const card = renderCard(task, actions);
  const focused = old?.contains(document.activeElement);
  if (old) old.replaceWith(card);
  else if (container) container.append(card);
  if (focused) card.focus(); // keyboard users stay on the card they acted on
  return card;
}

async function act(task, path, body = {}) {
  try {
    const { task: next } = await postJSON(path, body);
    showTask(next);
    return next;
  } catch (error) {
    showTask(task);
    toast(t("chat.error", { msg: error.message }));
    return null;
  }
}

/** The task as the journal has it now, as this session may see it (after the link: with the user's details). */
async function latest(task) {
  const { tasks: fresh } = await getJSON(`/api/ui/tasks?conversation_id=${encodeURIComponent(task.conversation_id)}`);
  return fresh.find((found) => found.id === task.id) || task;
}

async function review(shown) {
  // Only a session that may confirm may see what is bought: without one, ask for the link first (a chat-only
  // session sees "your saved office address" where the dialog must show the address itself).
  if (!(await holds("confirm"))) return;
  const task = await latest(shown);
  showTask(task);
  if (task.state !== "awaiting-confirmation") return;
  const choice = await askConfirmation(task);
  const path = `/api/ui/confirmations/${encodeURIComponent(task.confirmation_id)}`;
  if (choice === "decline") await act(task, `${path}/decline`);
  if (choice !== "confirm") return;
  showTask({ ...task, state: "running" }); // the purchase runs while the request is open
  const next = await act(task, `${path}/confirm`);
  if (next?.state === "awaiting-confirmation" && next.confirmation_id !== task.confirmation_id) {
    toast(t("confirm.changed")); // price, seats or time changed since the dialog: nothing was bought
    await review(next);
  }
}

async function chatModelAnswer(text, reply) {
  history.push({ role: "user", content: text });
  let answer = "";
  try {
    await streamChat(history.slice(-12), (delta) => {
      answer += delta;
      reply.body.textContent = answer;
    });
  } catch (error) {
    reply.body.textContent = t("chat.error", { msg: error.message });
    return;
  }
  if (!answer.trim()) reply.body.textContent = t("chat.noanswer");
  history.push({ role: "assistant", content: answer });
}

async function turn(text) {
  bubble("user", text);
  const reply = bubble("assistant");
  reply.item.setAttribute("aria-busy", "true");
  const cards = h("div", { class: "cards" });
  let done = null;
  await streamNDJSON("/api/ui/turn", { text, conversation_id: conversationId }, (event) => {
    if (event.type === "conversation") {
      conversationId = event.conversation_id;
      sessionStorage.setItem("tandem.conversation", conversationId);
    } else if (event.type === "task") {
      if (!cards.isConnected) reply.item.append(cards);
      showTask(event.task, cards);
    } else if (event.type === "reply") done = event.reply;
    else if (event.type === "error") throw new Error(event.error.message);
  });
  if (done?.review) { // a typed yes or no to purchases waiting on their cards: their dialog answers it
    reply.body.textContent = done.text.split("\n")[0]; // "Nothing is bought yet. …"; the cards show the rest
    reply.item.removeAttribute("aria-busy");
    for (const task of done.tasks) showTask(task, cards.isConnected ? cards : reply.item.appendChild(cards));
    await review(done.tasks[0]);
    return;
  }
  for (const task of done?.tasks || []) showTask(task, cards.isConnected ? cards : reply.item.appendChild(cards));
  const count = done?.tasks?.length || 0;
  if (count) {
    // "Nothing is bought before you confirm" only where something waits for it: a list or a question does not
    const waiting = done.tasks.some((task) => task.state === "awaiting-confirmation");
    const said = waiting ? ["chat.prepared", { n: count }] : ["chat.answered", {}];
    reply.body.textContent = t(...said);
    localized.set(reply.body, said);
    reply.item.scrollIntoView({ block: "start" });
  }
  else await chatModelAnswer(text, reply);
  reply.item.removeAttribute("aria-busy");
}

/** Send `text` as the user's turn (used by the composer, voice input and image upload). */
export async function send(text) {
  const button = document.getElementById("send");
  button.disabled = true;
  try {
    await turn(text);
  } catch (error) {
    bubble("assistant error", t("chat.error", { msg: error.message }));
  } finally {
    button.disabled = false;
  }
}

/** Re-render every card (after a language switch). */
export function rerender() {
  for (const task of tasks.values()) showTask(task);
  for (const [el, [key, vars]] of localized) el.textContent = t(key, vars);
}

const ACTIVE = new Set(["planned", "running"]);
const POLL_MS = 3000;

/** Tasks the assistant moves on its own (a queued order sent when its partner is back) are refreshed. */
async function poll() {
  const moving = [...tasks.values()].some((task) => ACTIVE.has(task.state) || task.waiting);
  if (!moving || !conversationId || document.hidden) return;
  const { tasks: fresh } = await getJSON(`/api/ui/tasks?conversation_id=${encodeURIComponent(conversationId)}`);
  for (const task of fresh) {
    const known = tasks.get(task.id);
    if (known && known.updated_at !== task.updated_at) showTask(task);
  }
}

/** After a reload: this tab's conversation and its cards, as the journal has them. */
async function restore() {
  if (!conversationId) return;
  const { tasks: earlier } = await getJSON(`/api/ui/tasks?conversation_id=${encodeURIComponent(conversationId)}`);
  if (!earlier.length) return;
  const reply = bubble("assistant", "", "chat.earlier");
  const cards = h("div", { class: "cards" });
  reply.item.append(cards);
  for (const task of earlier) showTask(task, cards);
}

export function initChat() {
  restore().catch((error) => toast(t("chat.error", { msg: error.message })));
  // the server's line was full: api.js sends the request again after the wait the server named
  window.addEventListener("tandem-busy", (event) => toast(t("chat.busy", { n: event.detail.seconds })));
  setInterval(() => poll().catch(() => {}), POLL_MS); // a missed refresh is retried on the next tick
  const form = document.getElementById("composer");
  const prompt = document.getElementById("prompt");
  bubble("assistant", "", "chat.empty");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = prompt.value.trim();
    if (!text) return;
    prompt.value = "";
    send(text);
  });
  prompt.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
}
