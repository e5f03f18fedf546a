// Services: the partners offered in the user's region, the data each receives, enable/disable.
import { getJSON, postJSON } from "./api.js";
import { h, toast } from "./dom.js";
import { label, language, t } from "./i18n.js";

function list(prefix, ids) {
  return ids.map((id) => label(prefix, id)).join(", ") || "–";
}

function health(s) {
  if (s.healthy === null) return t("services.unchecked");
  return s.healthy ? t("services.up") : t("services.down");
}

function card(s, refresh) {
  const onchange = async (event) => {
    try {
      refresh(await postJSON(`/api/ui/services/${encodeURIComponent(s.id)}`, { enabled: event.target.checked }));
    } catch (error) {
      toast(t("chat.error", { msg: error.message }));
    }
  };
  const name = s.names?.[language()] || s.name;
  return h("article", { class: `service ${s.enabled ? "" : "off"}`, dataset: { serviceId: s.id } },
    h("header", {}, h("h2", {}, name), h("span", { class: "badge" }, list("cat", s.categories))),
    h("p", { class: "muted" }, `${s.partner} · ${health(s)}`),
    s.offered ? null : h("p", { class: "error" }, t("services.notoffered", { r: s.reason })),
    h("dl", { class: "facts" },
      h("div", {}, h("dt", {}, t("services.data")), h("dd", {}, list("data", s.personal_data))),
      h("div", {}, h("dt", {}, t("services.pays")), h("dd", {}, list("tool", s.transactional))),
      h("div", {}, h("dt", {}, t("services.processing")), h("dd", {}, list("region", s.processing_regions)))),
    h("label", { class: "switch" }, h("input", { type: "checkbox", role: "switch", checked: s.enabled, onchange,
      "aria-label": `${t("services.enabled")}: ${name}` }), h("span", {}, t("services.enabled"))));
}

function render(data) {
  const root = document.getElementById("services");
  const refresh = (next) => render({ ...data, ...next });
  const offered = data.services.filter((s) => s.offered);
  root.replaceChildren(h("p", {}, t("services.region", { r: data.region })),
    h("div", { class: "grid" }, offered.map((s) => card(s, refresh))));
}

export async function showServices() {
  try {
    render(await getJSON("/api/ui/services"));
  } catch (error) {
    document.getElementById("services").replaceChildren(h("p", { class: "error" }, t("chat.error", { msg: error.message })));
  }
}
