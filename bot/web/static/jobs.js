// 上传进度: follow the job's server-sent events and update each file's line (text only, never HTML).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const list = document.getElementById("job");
  if (!list || !list.dataset.events) return;
  const source = new EventSource(list.dataset.events);
  source.addEventListener("file", (event) => {
    const data = JSON.parse(event.data);
    const item = document.getElementById("file-" + data.index);
    if (!item) return;
    item.dataset.state = data.state;
    item.querySelector(".text").textContent = data.text;
  });
  source.addEventListener("done", () => {
    source.close();
    document.getElementById("job-done").hidden = false;
  });
});
