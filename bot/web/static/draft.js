// 起草 page: while a draft (or a section) is being written, say so and keep the button from a second press.
"use strict";
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || event.defaultPrevented) return;
  const busy = form.id === "draft-form" || form.classList.contains("regenerate");
  if (!busy) return;
  for (const b of form.querySelectorAll("button")) b.disabled = true;
  const status = document.getElementById("draft-status");
  if (status) status.textContent = "正在起草，请稍候…";
});
