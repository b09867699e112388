// 提问 page: send the question (POST, CSRF header), read the answer's server-sent events, open citations in place.
// Streamed text is set with textContent; the final answer's HTML comes from the server's autoescaping templates.
"use strict";
(() => {
  const form = document.getElementById("ask-form");
  if (!form) return;
  const conversation = document.getElementById("conversation");
  const button = document.getElementById("ask-button");
  const status = document.getElementById("ask-status");
  const question = document.getElementById("question");

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || ""; }
    catch (e) { return ""; }
  }

  function post(url, fields) {
    return fetch(url, {
      method: "POST",
      headers: { "X-CSRF-Token": csrfToken(), "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
      credentials: "same-origin",
    });
  }

  function redirected(response) {
    const target = response.headers.get("HX-Redirect");
    if (response.status === 401 && target) { window.location.assign(target); return true; }
    return false;
  }

  function turn(text) {
    const box = document.createElement("section");
    box.className = "turn";
    const q = document.createElement("p");
    q.className = "question";
    q.textContent = text;
    const a = document.createElement("div");
    a.className = "reply streaming";
    box.append(q, a);
    conversation.append(box);
    return a;
  }

  function show(reply, name, data) {
    if (name === "status") { status.textContent = data.message; }
    else if (name === "delta") { reply.textContent = data.text; status.textContent = "正在回答…"; }
    else if (name === "answer") { reply.className = "reply"; reply.innerHTML = data.html; }
    else if (name === "error") { reply.className = "reply error"; reply.textContent = data.message; }
  }

  async function ask(text) {
    const reply = turn(text);
    const fields = { question: text, conversation: form.elements.conversation.value };
    const response = await post(form.action, fields);
    if (redirected(response)) return;
    if (!response.ok || !response.body) {
      show(reply, "error", { message: "提问失败（" + response.status + "），请刷新页面后重试。" });
      return;
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let name = "message", data = "";
        for (const line of block.split("\n")) {
          if (line.startsWith("event: ")) name = line.slice(7);
          else if (line.startsWith("data: ")) data += line.slice(6);
        }
        if (data) show(reply, name, JSON.parse(data));
      }
    }
    if (reply.classList.contains("streaming")) {
      show(reply, "error", { message: "连接中断，回答没有完整收到，请重新提问。" });
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = question.value.trim();
    if (!text) { status.textContent = "请输入问题。"; return; }
    button.disabled = true;
    question.value = "";
    try { await ask(text); }
    catch (e) { status.textContent = "网络出错，请稍后重试。"; }
    finally { button.disabled = false; if (status.textContent !== "网络出错，请稍后重试。") status.textContent = ""; question.focus(); }
  });

  question.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); form.requestSubmit(); }
  });

  conversation.addEventListener("click", async (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const cite = target && target.closest("button[data-cite]");
    if (cite) {
      const panel = document.getElementById(cite.dataset.cite);
      if (!panel) return;
      panel.hidden = !panel.hidden;
      for (const b of conversation.querySelectorAll('button[data-cite="' + cite.dataset.cite + '"]')) {
        b.setAttribute("aria-expanded", String(!panel.hidden));
      }
      return;
    }
    const vote = target && target.closest("button[data-useful]");
    if (vote) {
      const box = vote.closest(".feedback");
      const response = await post("/ask/feedback", { qa_id: box.dataset.qa, useful: vote.dataset.useful });
      if (redirected(response)) return;
      box.querySelector(".feedback-result").textContent = response.ok ? await response.text() : "反馈没有记录，请刷新页面后重试。";
      if (response.ok) for (const b of box.querySelectorAll("button")) b.disabled = true;
    }
  });
})();
