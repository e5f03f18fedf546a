// The privacy dashboard: today's requests by tier, the egress ledger, consent, device-only mode, export, erase.
import { download, getJSON, postJSON } from "./api.js";
import { h, toast } from "./dom.js";
import { language, t } from "./i18n.js";

const KINDS = ["PERSON", "EMAIL", "PHONE", "ADDRESS", "LOCATION", "IBAN", "CREDIT_CARD", "ID_NUMBER", "DATE_OF_BIRTH",
  "IP_ADDRESS", "PROPER_NOUN"];

/** "Sent to the cloud model because …; your name and e-mail were replaced first", with the router's own words
 * one click away. `why` comes from the server (tandem/privacy/explain.py). */
function because(why, fallback) {
  if (!why) return fallback || "–";
  const kinds = why.replaced.map((c) => (KINDS.includes(c) ? t(`pii.${c}`) : c));
  const list = kinds.length ? new Intl.ListFormat(language(), { type: "conjunction" }).format(kinds) : "";
  const sentence = t(`privacy.why.${why.because}`, why) +
    (list ? t(kinds.length === 1 ? "privacy.why.replaced1" : "privacy.why.replaced", { list }) : t("privacy.why.nothing"));
  return h("span", { class: "why" }, sentence, why.technical ? h("details", {}, h("summary", {}, t("privacy.why.details")),
    h("code", {}, why.technical)) : null);
}

function table(caption, columns, rows, cls) {
  if (!rows.length) return h("section", { class: cls }, h("h2", {}, caption), h("p", { class: "muted empty" }, t("privacy.none")));
  return h("section", { class: cls }, h("h2", {}, caption), h("div", { class: "scroll", tabindex: "0", role: "region",
    "aria-label": caption },
  h("table", {}, h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, t(`privacy.col.${c}`))))),
    h("tbody", {}, rows.map((r) => h("tr", {}, columns.map((c) => h("td", { dataset: { col: c } }, r[c]))))))));
}

function clock(value) {
  const date = typeof value === "number" ? new Date(value * 1000) : new Date(value);
  return date.toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" });
}

function requests(data) {
  const rows = data.requests.map((r) => ({ time: clock(r.time), tier: t(`privacy.${r.tier}`), what: r.what,
    reason: r.tier === "cloud" ? because(r.why, r.reason) : r.reason }));
  const counts = { device: 0, cloud: 0 };
  for (const r of data.requests) counts[r.tier] += 1;
  const tiles = h("div", { class: "tiles" },
    ["device", "cloud"].map((tier) => h("div", { class: `tile ${tier}`, dataset: { tier } },
      h("strong", {}, String(counts[tier])), h("span", {}, t(`privacy.${tier}`)))));
  const section = table(t("privacy.requests"), ["time", "tier", "what", "reason"], rows, "requests");
  section.insertBefore(tiles, section.children[1]);
  return section;
}

function ledger(data) {
  const rows = data.ledger.map((e) => ({ time: clock(e.time), endpoint: e.endpoint, region: e.region,
    removed: e.categories.join(", ") || "–", reason: because(e.why, e.route_reasons || e.purpose), status: e.status }));
  return table(t("privacy.ledger"), ["time", "endpoint", "region", "removed", "reason", "status"], rows, "ledger");
}

function toggle(label, checked, onchange, hint = "") {
  const input = h("input", { type: "checkbox", role: "switch", checked, onchange: (e) => onchange(e.target.checked) });
  return h("label", { class: "switch" }, input, h("span", {}, label), hint ? h("small", { class: "muted" }, hint) : null);
}

function consent(data, refresh) {
  const change = (key) => async (value) => {
    try {
      refresh(await postJSON("/api/ui/privacy/consent", { [key]: value }));
    } catch (error) {
      toast(t("chat.error", { msg: error.message }));
    }
  };
  return h("section", { class: "consent" }, h("h2", {}, t("privacy.consent")),
    toggle(t("privacy.device_only"), data.device_only, (on) => change("cloud")(!on), t("privacy.device_only.hint")),
    ["cloud", "cross_border", "health"].map((k) => toggle(t(`privacy.c.${k}`), data.consent[k], change(k))));
}

const failed = (error) => toast(t("chat.error", { msg: error.message }));
const today = () => new Date().toISOString().slice(0, 10);

function tools(refresh) {
  const erase = async () => {
    if (!window.confirm(t("privacy.erase.ask"))) return;
    const done = await postJSON("/api/ui/privacy/erase");
    toast(t("privacy.erased", { n: done.ledger_rows }));
    refresh(await getJSON("/api/ui/privacy"));
  };
  return h("section", { class: "actions" },
    h("button", { onclick: () => download("/api/ui/privacy/export", `tandem-export-${today()}.json`).catch(failed) },
      t("privacy.export")),
    h("button", { class: "danger", onclick: erase, id: "erase" }, t("privacy.erase")));
}

function render(data) {
  const root = document.getElementById("privacy");
  const refresh = (next) => render(next);
  root.replaceChildren(requests(data), ledger(data), consent(data, refresh), tools(refresh));
}

export async function showPrivacy() {
  try {
    render(await getJSON("/api/ui/privacy"));
  } catch (error) {
    document.getElementById("privacy").replaceChildren(h("p", { class: "error" }, t("chat.error", { msg: error.message })));
  }
}
