// Memory & recommendations: what Tandem knows about my tastes (add, delete), and suggestions with the reason
// each was chosen (accept, dismiss). Uses /v1/memory/* and /v1/recommendations as any other app would.
import { deleteJSON, getJSON, postJSON } from "./api.js";
import { h, money, toast, when } from "./dom.js";
import { label, t } from "./i18n.js";
import { profileSection } from "./profile.js";

const failed = (error) => toast(t("chat.error", { msg: error.message }));

function item(entry) {
  const remove = async () => {
    await deleteJSON(`/v1/memory/items/${entry.id}`).catch(failed);
    showMemory();
  };
  const mood = entry.polarity > 0 ? t("memory.likes") : t("memory.avoids");
  // kept in the user's words ("allergisch gegen Nüsse"): the badge says it all, its key "avoid" would read twice
  const worded = entry.key === "like" || entry.key === "avoid";
  return h("li", { class: `pref ${entry.polarity > 0 ? "likes" : "avoids"}`, dataset: { id: entry.id } },
    h("span", { class: "badge" }, mood), worded ? null : h("strong", {}, label("memory.key", entry.key)),
    worded ? null : " ", entry.value,
    h("small", { class: "muted" }, ` · ${label("memory.kind", entry.kind)}`),
    h("button", { class: "link", onclick: remove, "aria-label": `${t("memory.delete")}: ${entry.key} ${entry.value}` },
      t("memory.delete")));
}

function addForm() {
  const input = h("input", { name: "text", required: true, placeholder: t("memory.add.placeholder"),
    "aria-label": t("memory.add") });
  const onsubmit = async (event) => {
    event.preventDefault();
    try {
      await postJSON("/v1/memory/items", { text: input.value.trim() });
      showMemory();
    } catch (error) {
      failed(error);
    }
  };
  return h("form", { class: "row", onsubmit }, input, h("button", { type: "submit" }, t("memory.add")));
}

function suggestion(s) {
  const decide = (action) => async () => {
    try {
      await postJSON("/v1/recommendations/feedback", { item_id: s.id, action });
      card.dataset.decided = action;
      card.querySelector(".actions").replaceChildren(h("span", { class: "badge" }, t(`memory.${action}ed`)));
    } catch (error) {
      failed(error);
    }
  };
  const card = h("article", { class: "card suggestion", dataset: { itemId: s.id } },
    h("header", {}, h("h3", {}, s.title), h("span", { class: "badge" }, label("cat", s.domain))),
    h("p", { class: "muted" }, [s.starts_at ? when(s.starts_at) : "", s.price ? money(s.price, s.currency) : ""]
      .filter(Boolean).join(" · ")),
    h("p", { class: "reason" }, s.reason),
    h("div", { class: "actions" }, h("button", { class: "primary", onclick: decide("accept") }, t("memory.accept")),
      h("button", { onclick: decide("dismiss") }, t("memory.dismiss"))));
  return card;
}

function suggestForm(results) {
  const input = h("input", { name: "want", required: true, value: t("memory.suggest.default"),
    "aria-label": t("memory.suggest") });
  const onsubmit = async (event) => {
    event.preventDefault();
    results.replaceChildren(h("p", { class: "muted" }, "…"));
    try {
      const found = await postJSON("/v1/recommendations", { text: input.value.trim(), k: 6 });
      results.replaceChildren(...(found.data.length ? found.data.map(suggestion) : [h("p", {}, t("privacy.none"))]));
    } catch (error) {
      results.replaceChildren();
      failed(error);
    }
  };
  return h("form", { class: "row", onsubmit }, input, h("button", { type: "submit" }, t("memory.suggest")));
}

export async function showMemory() {
  const root = document.getElementById("memory");
  try {
    const { data } = await getJSON("/v1/memory/items");
    const results = h("div", { class: "cards suggestions" });
    root.replaceChildren(
      await profileSection(),
      h("section", { class: "prefs" }, h("h2", {}, t("memory.mine")),
        data.length ? h("ul", { class: "preflist" }, data.map(item)) : h("p", { class: "muted empty" }, t("privacy.none")),
        addForm()),
      h("section", {}, h("h2", {}, t("memory.suggestions")), suggestForm(results), results));
  } catch (error) {
    root.replaceChildren(h("p", { class: "error" }, t("chat.error", { msg: error.message })));
  }
}
