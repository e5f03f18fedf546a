// Boot: language, the views (hash routing, so the back button and links work), chat and media.
import { getJSON, linkProblem } from "./api.js";
import { initChat, rerender } from "./chat.js";
import { addTitles, pickLanguage, setLanguage, t } from "./i18n.js";
import { initMedia } from "./media.js";
import { showMemory } from "./memory.js";
import { showPrivacy } from "./privacy.js";
import { showServices } from "./services.js";

const VIEWS = { chat: null, memory: showMemory, privacy: showPrivacy, services: showServices };

function route() {
  const name = location.hash.slice(1) in VIEWS ? location.hash.slice(1) : "chat";
  for (const view of Object.keys(VIEWS)) document.getElementById(`view-${view}`).hidden = view !== name;
  for (const link of document.querySelectorAll("[data-view]")) {
    if (link.dataset.view === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  if (VIEWS[name]) VIEWS[name]();
  else document.getElementById("prompt").focus();
}

/** Say at once why the link the page was opened with did not log in (expired, used), and how to get a new one. */
async function showLinkProblem() {
  const problem = await linkProblem;
  if (!problem) return;
  const notice = document.getElementById("notice");
  notice.textContent = problem.expired
    ? t("login.expired", { when: new Date(problem.expired * 1000).toLocaleTimeString(document.documentElement.lang,
      { hour: "2-digit", minute: "2-digit" }) })
    : t("login.refused", { msg: problem.message });
  notice.hidden = false;
}

/** The installed capabilities' card titles, from their manifests (an added partner's too), ahead of the page's own. */
async function loadTitles() {
  try {
    addTitles((await getJSON("/api/ui/config")).titles);
    rerender();
  } catch {
    // the page's own titles stay; the chat says why a request failed
  }
}

function init() {
  const select = document.getElementById("lang");
  const lang = pickLanguage();
  setLanguage(lang);
  select.value = lang;
  select.addEventListener("change", () => {
    setLanguage(select.value);
    rerender();
    route();
  });
  showLinkProblem();
  loadTitles();
  initChat();
  initMedia();
  window.addEventListener("hashchange", route);
  route();
  document.body.dataset.ready = "1";
}

init();
