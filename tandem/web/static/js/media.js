// Voice input (browser microphone → /v1/audio/transcriptions) and image upload (a poster's text via
// /v1/images/analyze). Both only fill the composer: the user reads and sends, nothing acts on its own.
import { postForm } from "./api.js";
import { toast } from "./dom.js";
import { language, t } from "./i18n.js";

let recorder = null;

function fill(text) {
  const prompt = document.getElementById("prompt");
  prompt.value = text;
  prompt.focus();
}

async function transcribe(blob) {
  const form = new FormData();
  form.append("file", blob, "speech.webm");
  form.append("model", "auto");
  form.append("language", language());
  toast(t("chat.transcribing"));
  const result = await postForm("/v1/audio/transcriptions", form);
  fill(result.text.trim());
}

async function toggleMic(button) {
  if (recorder) {
    recorder.stop();
    return;
  }
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  const chunks = [];
  recorder = new MediaRecorder(stream);
  recorder.ondataavailable = (event) => chunks.push(event.data);
  recorder.onstop = () => {
    stream.getTracks().forEach((track) => track.stop());
    recorder = null;
    button.setAttribute("aria-pressed", "false");
    transcribe(new Blob(chunks, { type: chunks[0]?.type || "audio/webm" }))
      .catch((error) => toast(t("chat.error", { msg: error.message })));
  };
  recorder.start();
  button.setAttribute("aria-pressed", "true");
  toast(t("chat.listening"));
}

/** The poster's title: the line set in the largest type (the tallest OCR box). */
export function posterTitle(lines) {
  const height = (line) => {
    const ys = (line.box || []).map((point) => point[1]);
    return ys.length ? Math.max(...ys) - Math.min(...ys) : 0;
  };
  const named = lines.filter((line) => line.text.trim().length > 1);
  named.sort((a, b) => height(b) - height(a));
  return named[0]?.text.trim() || "";
}

async function readPoster(file) {
  const form = new FormData();
  form.append("file", file, file.name);
  toast(t("chat.reading"));
  const analysis = await postForm("/v1/images/analyze", form);
  const name = posterTitle(analysis.lines || []);
  fill(name ? t("chat.poster", { title: name }) : analysis.text);
}

export function initMedia() {
  const mic = document.getElementById("mic");
  const attach = document.getElementById("attach");
  const input = document.getElementById("image");
  if (!navigator.mediaDevices?.getUserMedia || !window.MediaRecorder) mic.hidden = true;
  mic.addEventListener("click", () => toggleMic(mic).catch((error) => toast(t("chat.error", { msg: error.message }))));
  attach.addEventListener("click", () => input.click());
  input.addEventListener("change", () => {
    const [file] = input.files;
    input.value = "";
    if (file) readPoster(file).catch((error) => toast(t("chat.error", { msg: error.message })));
  });
}
