// The confirmation dialog: exactly what will be bought, from whom, for how much. Nothing is bought unless
// the user presses confirm here; Escape or closing the dialog leaves the task waiting.
import { detailRows, price } from "./cards.js";
import { h } from "./dom.js";
import { label, t } from "./i18n.js";

function body(task) {
  const summary = task.summary || {};
  const what = [[t("confirm.what"), label("intent", task.intent)], ...detailRows(task)];
  return [
    h("dl", { class: "facts" }, what.map(([k, v]) => h("div", {}, h("dt", {}, k), h("dd", {}, String(v))))),
    h("dl", { class: "facts key" },
      h("div", {}, h("dt", {}, t("confirm.from")), h("dd", { class: "partner" }, summary.partner || task.service_id)),
      h("div", {}, h("dt", {}, t("confirm.cost")), h("dd", { class: "total" }, price(task)))),
  ];
}

/** Show the dialog for `task`; resolves to "confirm", "decline" or "" (dismissed). */
export function askConfirmation(task) {
  const dialog = document.getElementById("confirm");
  document.getElementById("confirm-body").replaceChildren(...body(task));
  dialog.returnValue = "";
  dialog.dataset.taskId = task.id;
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue), { once: true });
    dialog.showModal();
  });
}
