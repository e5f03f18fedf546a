// My details: the name, phone, city and payment token orders are filled from (GET/PATCH /v1/profile). The
// payment token is shown masked and only sent when typed anew; an empty field is left as it is.
import { getJSON, patchJSON } from "./api.js";
import { h, toast } from "./dom.js";
import { t } from "./i18n.js";

const FIELDS = ["name", "phone", "city", "payment_token"];

function field(key, value) {
  const secret = key === "payment_token";
  return h("label", { class: "field" }, h("span", {}, t(`profile.${key}`)),
    h("input", { name: key, value: secret ? "" : value, placeholder: secret ? value || "tok_…" : "",
      autocomplete: secret ? "off" : key === "phone" ? "tel" : key === "name" ? "name" : "address-level2" }));
}

export async function profileSection() {
  const shown = await getJSON("/v1/profile");
  const form = h("form", { class: "profile", "aria-label": t("profile.title") },
    ...FIELDS.map((key) => field(key, shown[key])), h("button", { type: "submit" }, t("profile.save")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const changes = {};
    for (const key of FIELDS) {
      const value = form.elements[key].value.trim();
      if (value !== (key === "payment_token" ? "" : shown[key]) && (value || key !== "payment_token")) changes[key] = value;
    }
    if (!Object.keys(changes).length) return;
    try {
      const saved = await patchJSON("/v1/profile", changes);
      Object.assign(shown, saved);
      form.elements.payment_token.value = "";
      form.elements.payment_token.placeholder = saved.payment_token || "tok_…";
      form.dataset.saved = "1";
      toast(t("profile.saved"));
    } catch (error) {
      toast(t("chat.error", { msg: error.message }));
    }
  });
  return h("section", { class: "details" }, h("h2", {}, t("profile.title")), h("p", { class: "muted" }, t("profile.why")),
    form);
}
