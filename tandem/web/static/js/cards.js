// Task cards. Each intent has a renderer for its details; a card whose renderer throws is replaced by a
// plain card for that task alone, so one broken card never takes the chat or the other cards down.
import { h, money, when } from "./dom.js";
import { label, t } from "./i18n.js";

const STEPS = ["planned", "awaiting-confirmation", "running", "done"];
const STEP_OF = { planned: 0, "needs-info": 0, "awaiting-confirmation": 1, running: 2, done: 4, failed: 3, cancelled: 3 };

/** A summary field's label: the partner's own name for it in the task's language (`labels`, as the task line says
 * it), else the web app's; a field neither names is shown as its key ("status", not "field.status"). */
function field(key, labels) {
  if (typeof labels?.[key] === "string") return labels[key];
  const text = t(`field.${key}`);
  return text === `field.${key}` ? key.replace(/_/g, " ") : text;
}

function rows(summary, keys, labels) {
  return keys.filter((k) => summary[k] !== null && summary[k] !== undefined && summary[k] !== "")
    .map((k) => [field(k, labels), Array.isArray(summary[k]) ? summary[k].join(", ") : summary[k]]);
}

/** Details per intent: [label, value] pairs from the summary the partner's quote produced, each field named as its
 * partner names it (`labels`), else as the web app does. */
export const renderers = {
  buy_movie_tickets: (s, l) => [...rows(s, ["film", "cinema"], l), [field("starts_at", l), when(s.starts_at)],
    ...rows(s, ["tickets", "holder"], l), [field("price_each", l), money(s.price_each, s.currency)]],
  buy_event_tickets: (s, l) => [...rows(s, ["event", "venue"], l), [field("starts_at", l), when(s.starts_at)],
    ...rows(s, ["section", "tickets", "holder"], l), [field("price_each", l), money(s.price_each, s.currency)]],
  order_food: (s, l) => rows(s, ["restaurant", "items", "address", "eta_minutes"], l),
  set_reminder: (s, l) => [...rows(s, ["reminder"], l), [field("due_at", l), when(s.due_at)]],
};

const APART = ["partner", "total", "currency", "payment"]; // shown on their own rows, for every intent

function generic(summary, labels) {
  return Object.entries(summary).filter(([k, v]) => !APART.includes(k) && v !== null)
    .map(([k, v]) => [field(k, labels), Array.isArray(v) ? v.join(", ") : typeof v === "object" ? JSON.stringify(v) : v]);
}

/** `fields` with each value the task names (`task.named`: "in_kitchen" is "in der Küche", as the task line and the
 * voice say it) shown by its name. */
function byName(fields, task) {
  const named = task.named || {};
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof named[k] === "string" ? named[k] : v]));
}

export function detailRows(task) {
  const summary = byName(task.summary || {}, task);
  // a capability a partner names "constructor" is no renderer of Object.prototype's (it broke the card)
  const render = Object.hasOwn(renderers, task.intent) ? renderers[task.intent] : generic;
  // how it is paid, on the card and in the dialog: "sandbox – test money, nothing is charged" on a fresh device
  const shown = [...render(summary, task.labels), ...rows(summary, ["payment"], task.labels)];
  return shown.filter(([, v]) => v !== "" && v !== null && v !== undefined);
}

export function price(task) {
  const s = task.summary || {};
  return s.total === undefined || s.total === null ? "" : money(s.total, s.currency);
}

function progress(task) {
  const step = STEP_OF[task.state] ?? 0;
  return h("ol", { class: "steps", "aria-hidden": "true" },
    STEPS.map((name, i) => h("li", { class: i < step ? "past" : i === step ? "now" : "" })));
}

function facts(task) {
  const list = [[t("card.partner"), task.summary?.partner || task.service_id || ""], ...detailRows(task),
    [t("card.price"), price(task)]];
  return h("dl", { class: "facts" },
    list.filter(([, v]) => v).map(([k, v]) => h("div", {}, h("dt", {}, k), h("dd", {}, String(v)))));
}

function question(task, actions) {
  const input = h("input", { name: "answer", required: true, "aria-label": `${t("card.answer")}: ${task.question}` });
  const onsubmit = (event) => {
    event.preventDefault();
    actions.answer(task, input.value.trim());
  };
  return h("form", { class: "question", onsubmit }, h("p", {}, task.question), h("div", { class: "row" }, input,
    h("button", { type: "submit" }, t("card.send"))));
}

/** A read-only answer that is a list (the notes, the calendar, the reminders): its first entries, by the name and
 * time fields its manifest declares (`task.items`); without them, only how many there are. An empty one says what
 * the task line says (`task.found_none`, the server's sentence: "Ich habe nichts gefunden."). */
function found(items, fields, none) {
  if (!items.length && none) return h("p", { class: "result" }, "✓ ", none);
  const when = (iso) => {
    const at = new Date(iso);
    return Number.isNaN(at.getTime()) ? String(iso)
      : at.toLocaleString(document.documentElement.lang, { dateStyle: "medium", timeStyle: "short" });
  };
  const named = fields?.name ? items.filter((i) => i && typeof i === "object" && i[fields.name]) : [];
  const rows = named.slice(0, 5).map((i) => {
    const at = fields.time ? i[fields.time] : null;
    return h("li", {}, String(i[fields.name]), at ? h("small", { class: "muted" }, ` · ${when(at)}`) : null);
  });
  return h("div", { class: "result" }, h("p", {}, "✓ ", t("state.done"), ` (${items.length})`),
    rows.length ? h("ul", { class: "found" }, rows) : null);
}

function outcome(task) {
  if (task.state === "done" && Array.isArray(task.result)) return found(task.result, task.items, task.found_none);
  if (task.state === "done" && task.result) {
    const ref = task.result.order_id || task.result.id;
    // the answer's state by name after what it is about: "✓ Bestellung PB-7 · in der Küche"
    const state = Object.keys(task.result).map((k) => task.named?.[k]).find((v) => typeof v === "string");
    return h("p", { class: "result" }, "✓ ", ref ? `${t("card.order")} ${ref}` : t("state.done"),
      state ? ` · ${state}` : "");
  }
  if (task.state === "failed") return h("p", { class: "error" }, task.error || t("state.failed"));
  if (task.waiting) return h("p", { class: "muted" }, t("card.waiting", { s: task.waiting }));
  return null;
}

function buttons(task, actions) {
  const list = [];
  if (task.state === "awaiting-confirmation" && task.confirmation_id) {
    list.push(h("button", { class: "primary", onclick: () => actions.review(task) }, t("card.review")));
  }
  if (!["done", "failed", "cancelled", "running"].includes(task.state)) {
    list.push(h("button", { onclick: () => actions.cancel(task) }, t("card.cancel")));
  }
  return list.length ? h("div", { class: "actions" }, list) : null;
}

function full(task, actions) {
  const title = label("intent", task.intent);
  return h("article", { class: `card state-${task.state}`, dataset: { taskId: task.id, state: task.state },
    "aria-label": `${title}: ${t(`state.${task.state}`)}`, tabindex: "-1" },
  h("header", {}, h("h3", {}, title), h("span", { class: "badge" }, t(`state.${task.state}`))),
  progress(task), facts(task),
  task.state === "needs-info" ? question(task, actions) : null,
  outcome(task), buttons(task, actions));
}

function fallback(task, actions) {
  return h("article", { class: `card broken state-${task.state}`, dataset: { taskId: task.id, state: task.state },
    tabindex: "-1" },
    h("header", {}, h("h3", {}, task.intent), h("span", { class: "badge" }, t(`state.${task.state}`))),
    h("p", { class: "muted" }, t("card.broken")), buttons(task, actions));
}

/** The card element for `task`; `actions` has review(task), cancel(task) and answer(task, text). */
export function renderCard(task, actions) {
  try {
    return full(task, actions);
  } catch (error) {
    console.error(`card ${task.id} (${task.intent}) failed to render:`, error);
    return fallback(task, actions);
  }
}
