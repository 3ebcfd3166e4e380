/* The offline visit app (issue 19): today's work kept on the phone, visits filled in without signal,
   each sent once (its UUID) when there is signal again. Plain JS, no build step. */
(function () {
  "use strict";
  const body = document.body;
  const cfg = {
    today: body.dataset.todayUrl,
    submit: body.dataset.submitUrl,
    sw: body.dataset.swUrl,
    shell: body.dataset.shellUrl,
    keepDays: Number(body.dataset.keepDays || 3),
    user: body.dataset.user,
  };
  const SYNC_EVERY_MS = 3 * 60 * 1000;
  const PHOTO_MAX_SIDE = 1600;
  const app = document.getElementById("app");
  let work = null;
  let syncing = false;

  // --- small helpers ------------------------------------------------------------------------------
  const esc = (text) => String(text == null ? "" : text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const h = (html) => { const t = document.createElement("template"); t.innerHTML = html.trim(); return t.content; };
  const uuid = () => (crypto.randomUUID ? crypto.randomUUID() : "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) => (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16)));
  const fmt = (iso) => { const d = new Date(iso); return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")} ${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`; };
  const csrf = () => document.querySelector('meta[name="csrf-token"]').content;
  const STATUS = { draft: "草稿", queued: "待上传", sending: "上传中", sent: "已上传", conflict: "需要处理", invalid: "需要修改" };

  function showNet() {
    const el = document.getElementById("net");
    el.textContent = navigator.onLine ? "在线" : "离线";
    el.className = "badge " + (navigator.onLine ? "bg-success" : "bg-secondary");
  }

  async function refreshCount() {
    const visits = await OfflineDB.allVisits();
    const waiting = visits.filter((v) => v.user === cfg.user && v.status !== "sent" && v.status !== "draft").length;
    document.getElementById("outbox-count").textContent = waiting;
    return visits;
  }

  // --- today's work -------------------------------------------------------------------------------
  async function loadWork() {
    work = await OfflineDB.getWork();
    if (work && (work.user !== cfg.user || Date.now() - Date.parse(work.taken_at) > cfg.keepDays * 86400000)) {
      await OfflineDB.clearWork();  // another person's copy, or too old to trust
      work = null;
    }
  }

  async function download() {
    const response = await fetch(cfg.today, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(response.status === 401 ? "登录已过期，请重新登录后再下载。" : `下载失败（${response.status}）。`);
    const data = await response.json();
    work = { ...data, user: cfg.user };
    await OfflineDB.putWork(work);
  }

  const business = (id) => work && work.businesses.find((b) => b.id === id);
  const checklistFor = (b) => work.checklists.find((c) => c.category_code === b.category_code);
  const licenceType = (id) => work.licence_types.find((t) => t.id === id);

  // --- pages ----------------------------------------------------------------------------------------
  async function home() {
    const visits = await refreshCount();
    const mine = visits.filter((v) => v.user === cfg.user);
    app.replaceChildren(h(`
      <div class="d-flex gap-2 align-items-center mb-2 flex-wrap">
        <button id="download" class="btn btn-danger btn-sm" ${navigator.onLine ? "" : "disabled"}><i class="bi bi-download"></i> 下载今日任务</button>
        <span class="small text-muted">${work ? "数据截至 " + esc(fmt(work.taken_at)) : "尚未下载今日任务"}</span>
      </div>
      <div id="units"></div>`));
    document.getElementById("download").addEventListener("click", async (event) => {
      event.target.disabled = true;
      try { await download(); } catch (error) { alert(error.message); }
      home();
    });
    const list = document.getElementById("units");
    if (!work) { list.append(h('<p class="text-muted">有信号时先点“下载今日任务”，没有信号也能照常检查。</p>')); return; }
    const done = new Set(mine.filter((v) => v.status === "sent" && v.today === work.today).map((v) => v.business));
    const due = work.businesses.filter((b) => !done.has(b.id));
    if (!due.length) list.append(h('<p class="text-muted">今日任务已全部完成。</p>'));
    for (const b of due) {
      const draft = mine.find((v) => v.business === b.id && (v.status === "draft" || v.status === "invalid"));
      const orders = b.open_orders.map((o) => `<span class="badge bg-warning text-dark">整改 ${esc(o.number)} 期限 ${esc(o.deadline)}</span>`).join(" ");
      list.append(h(`
        <div class="card card-unit"><div class="card-body p-2">
          <div class="fw-bold">${esc(b.name)}</div>
          <div class="small text-muted">${esc(b.address)}</div>
          <div class="small">${esc(b.due_reason)} ${b.grade ? "· 等级 " + esc(b.grade) : ""} ${b.last_visit_on ? "· 上次 " + esc(b.last_visit_on) : ""}</div>
          <div>${orders}</div>
          <div class="d-flex gap-2 mt-2">
            <button class="btn btn-primary btn-sm" data-start="${b.id}">${draft ? "继续填写" : "开始检查"}</button>
            ${b.phone ? `<a class="btn btn-outline-secondary btn-sm" href="tel:${esc(b.phone)}"><i class="bi bi-telephone"></i> 电话</a>` : ""}
          </div>
        </div></div>`));
    }
    list.querySelectorAll("[data-start]").forEach((button) => button.addEventListener("click", async () => {
      const id = Number(button.dataset.start);
      const existing = mine.find((v) => v.business === id && (v.status === "draft" || v.status === "invalid"));
      location.hash = "#/visit/" + (existing ? existing.uuid : await newVisit(id));
    }));
  }

  async function newVisit(businessId) {
    const b = business(businessId);
    const checklist = checklistFor(b);
    const visit = {
      uuid: uuid(), user: cfg.user, business: b.id, business_name: b.name, today: work.today,
      checklist: checklist ? checklist.id : null, kind: b.open_orders.length ? "reinspection" : "routine",
      started_at: new Date().toISOString(), answers: {}, licences: {}, outcome: "", deadline: "",
      requirements_text: "", notes: "", photos: [], status: "draft", message: "",
    };
    for (const typeId of b.required_licence_types) visit.licences[typeId] = { held: null, displayed: null };
    await OfflineDB.putVisit(visit);
    return visit.uuid;
  }

  function tap(name, value, current, label, style) {
    const active = String(current) === String(value);
    return `<button type="button" class="btn btn-sm ${active ? "btn-" + style : "btn-outline-" + style}" data-${name}="${esc(value)}" aria-pressed="${active}">${esc(label)}</button>`;
  }

  async function visitPage(id) {
    const visit = await OfflineDB.getVisit(id);
    if (!visit) { location.hash = "#/"; return; }
    const b = business(visit.business);
    let checklist = work && work.checklists.find((c) => c.id === visit.checklist);
    if (b && !checklist && checklistFor(b)) {
      // The office published a new checklist meanwhile (checklist_changed): fill in the current one,
      // keeping the answers whose items are still on it.
      checklist = checklistFor(b);
      const codes = new Set(checklist.items.map((item) => item.code));
      visit.answers = Object.fromEntries(Object.entries(visit.answers).filter(([code]) => codes.has(code)));
      visit.photos = visit.photos.filter((photo) => !photo.item || codes.has(photo.item));
      visit.checklist = checklist.id;
      visit.message = `检查表已更新为第${checklist.version}版，请补填新条目后重新提交。`;
      await OfflineDB.putVisit(visit);
    }
    if (!b || !checklist) {
      app.replaceChildren(h('<p class="text-danger">这家单位或检查表已不在今日任务中。请在“待上传”中处理这条记录。</p>'));
      return;
    }
    const save = () => OfflineDB.putVisit(visit);
    const render = () => {
      const items = checklist.items.map((item) => {
        const a = visit.answers[item.code] || {};
        const photos = visit.photos.filter((p) => p.item === item.code);
        return `
          <div class="mb-3 ${a.answer === "fail" ? "item-failed" : ""}" data-item="${esc(item.code)}">
            <div class="item-text">${esc(item.code)} ${esc(item.text)}</div>
            <div class="btn-group answer-group mt-1" role="group">
              ${work.answers.map((c) => tap("answer", c.value, a.answer, c.label, c.value === "fail" ? "danger" : c.value === "pass" ? "success" : "secondary")).join("")}
            </div>
            ${a.answer === "fail" ? `
              <textarea class="form-control form-control-sm mt-1" data-note rows="2" placeholder="说明问题">${esc(a.note || "")}</textarea>
              <label class="btn btn-outline-secondary btn-sm mt-1"><i class="bi bi-camera"></i> 拍照
                <input type="file" accept="image/*" capture="environment" data-photo hidden></label>
              <div>${photos.map((p) => `<img class="thumb" alt="" src="${URL.createObjectURL(p.blob)}">`).join("")}</div>` : ""}
          </div>`;
      }).join("");
      const licences = Object.entries(visit.licences).map(([typeId, check]) => `
        <div class="mb-2" data-licence="${typeId}">
          <div>${esc((licenceType(Number(typeId)) || {}).name || typeId)}</div>
          <div class="tap-group d-flex gap-2 flex-wrap">
            <span class="btn-group">${tap("held", true, check.held, "持证", "success")}${tap("held", false, check.held, "未持证", "danger")}</span>
            <span class="btn-group">${tap("displayed", true, check.displayed, "已亮证", "success")}${tap("displayed", false, check.displayed, "未亮证", "danger")}</span>
          </div>
        </div>`).join("");
      app.replaceChildren(h(`
        <h1 class="h5">${esc(b.name)}</h1>
        <p class="small text-muted">${esc(checklist.title)}（第${esc(checklist.version)}版）· 记录保存在本机，有信号时自动上传</p>
        ${visit.message ? `<div class="alert alert-warning py-2">${esc(visit.message)}</div>` : ""}
        <button type="button" class="btn btn-outline-success btn-sm mb-2" id="rest-pass">其余全部符合</button>
        ${items}
        <h2 class="h6 mt-3">证照</h2>${licences || '<p class="small text-muted">该类别无需证照。</p>'}
        <h2 class="h6 mt-3">处理结果</h2>
        <select class="form-select form-select-sm" id="outcome"><option value="">请选择</option>
          ${work.outcomes.map((c) => `<option value="${esc(c.value)}" ${visit.outcome === c.value ? "selected" : ""}>${esc(c.label)}</option>`).join("")}
        </select>
        <div id="rectify" class="${visit.outcome === "rectify" ? "" : "d-none"}">
          <label class="form-label small mt-2" for="deadline">整改期限</label>
          <input type="date" class="form-control form-control-sm" id="deadline" value="${esc(visit.deadline)}">
          <label class="form-label small mt-2" for="requirements">整改要求</label>
          <textarea class="form-control form-control-sm" id="requirements" rows="2">${esc(visit.requirements_text)}</textarea>
        </div>
        <label class="form-label small mt-2" for="notes">检查情况</label>
        <textarea class="form-control form-control-sm" id="notes" rows="2">${esc(visit.notes)}</textarea>
        <div class="d-flex gap-2 mt-3">
          <button type="button" class="btn btn-danger" id="queue">完成，放入待上传</button>
          <button type="button" class="btn btn-outline-secondary" id="discard">删除草稿</button>
        </div>`));
      bind();
    };
    const bind = () => {
      app.querySelectorAll("[data-item]").forEach((row) => {
        const code = row.dataset.item;
        row.querySelectorAll("[data-answer]").forEach((button) => button.addEventListener("click", async () => {
          visit.answers[code] = { ...(visit.answers[code] || {}), answer: button.dataset.answer };
          if (button.dataset.answer !== "fail") { delete visit.answers[code].note; visit.photos = visit.photos.filter((p) => p.item !== code); }
          await save(); render();
        }));
        const note = row.querySelector("[data-note]");
        if (note) note.addEventListener("input", () => { visit.answers[code].note = note.value; save(); });
        const photo = row.querySelector("[data-photo]");
        if (photo) photo.addEventListener("change", async () => {
          for (const file of photo.files) visit.photos.push({ item: code, blob: await shrink(file), name: "photo.jpg" });
          await save(); render();
        });
      });
      app.querySelectorAll("[data-licence]").forEach((row) => {
        const check = visit.licences[row.dataset.licence];
        row.querySelectorAll("[data-held]").forEach((button) => button.addEventListener("click", async () => { check.held = button.dataset.held === "true"; await save(); render(); }));
        row.querySelectorAll("[data-displayed]").forEach((button) => button.addEventListener("click", async () => { check.displayed = button.dataset.displayed === "true"; await save(); render(); }));
      });
      document.getElementById("rest-pass").addEventListener("click", async () => {
        for (const item of checklist.items) if (!visit.answers[item.code]) visit.answers[item.code] = { answer: "pass" };
        await save(); render();
      });
      document.getElementById("outcome").addEventListener("change", async (event) => { visit.outcome = event.target.value; await save(); render(); });
      for (const [idName, key] of [["deadline", "deadline"], ["requirements", "requirements_text"], ["notes", "notes"]]) {
        const el = document.getElementById(idName);
        if (el) el.addEventListener("input", () => { visit[key] = el.value; save(); });
      }
      document.getElementById("queue").addEventListener("click", async () => {
        const missing = checklist.items.filter((item) => !visit.answers[item.code]).length;
        if (missing) { alert(`还有 ${missing} 个条目未填写。`); return; }
        if (!visit.outcome) { alert("请选择处理结果。"); return; }
        if (visit.outcome === "rectify" && !visit.deadline) { alert("限期整改请填写整改期限。"); return; }
        visit.status = "queued"; visit.message = "";
        await save(); location.hash = "#/outbox"; sync().then(route);
      });
      document.getElementById("discard").addEventListener("click", async () => {
        if (confirm("删除这条草稿？")) { await OfflineDB.deleteVisit(visit.uuid); location.hash = "#/"; }
      });
    };
    render();
  }

  /* Photos are made smaller on the phone before they are kept (the server re-encodes them as well). */
  function shrink(file) {
    return new Promise((resolve) => {
      const img = new Image();
      img.onload = () => {
        const scale = Math.min(1, PHOTO_MAX_SIDE / Math.max(img.width, img.height));
        const canvas = document.createElement("canvas");
        canvas.width = Math.round(img.width * scale); canvas.height = Math.round(img.height * scale);
        canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(img.src);
        canvas.toBlob((blob) => resolve(blob || file), "image/jpeg", 0.8);
      };
      img.onerror = () => resolve(file);
      img.src = URL.createObjectURL(file);
    });
  }

  async function outbox() {
    const visits = (await refreshCount()).filter((v) => v.user === cfg.user && v.status !== "draft");
    app.replaceChildren(h(`
      <div class="d-flex gap-2 align-items-center mb-2">
        <h1 class="h5 mb-0 flex-grow-1">待上传</h1>
        <button class="btn btn-sm btn-danger" id="send" ${navigator.onLine ? "" : "disabled"}>立即上传</button>
      </div>
      <div id="rows"></div>`));
    document.getElementById("send").addEventListener("click", () => sync().then(outbox));
    const rows = document.getElementById("rows");
    if (!visits.length) rows.append(h('<p class="text-muted">没有待上传的检查记录。</p>'));
    for (const v of visits.sort((a, b) => a.started_at.localeCompare(b.started_at))) {
      const trouble = v.status === "conflict" || v.status === "invalid";
      rows.append(h(`
        <div class="card card-unit ${trouble ? "conflict" : ""}" data-row="${esc(v.uuid)}"><div class="card-body p-2">
          <div class="fw-bold">${esc(v.business_name)}</div>
          <div class="small">${esc(fmt(v.started_at))} · <span data-status>${esc(STATUS[v.status] || v.status)}</span> · 照片 ${v.photos.length} 张</div>
          ${v.message ? `<div class="small text-danger mt-1" data-message>${esc(v.message)}</div>` : ""}
          ${trouble ? `<div class="d-flex gap-2 mt-2 flex-wrap">
            <a class="btn btn-sm btn-outline-primary" href="#/visit/${esc(v.uuid)}" data-edit>修改</a>
            <button class="btn btn-sm btn-outline-warning" data-again>作为新检查提交</button>
            <button class="btn btn-sm btn-outline-secondary" data-drop>放弃</button></div>` : ""}
        </div></div>`));
    }
    rows.querySelectorAll("[data-row]").forEach((row) => {
      const id = row.dataset.row;
      const again = row.querySelector("[data-again]");
      if (again) again.addEventListener("click", async () => {
        const v = await OfflineDB.getVisit(id);
        await OfflineDB.deleteVisit(id);
        await OfflineDB.putVisit({ ...v, uuid: uuid(), assignment: null, status: "queued", message: "" });
        sync().then(outbox);
      });
      const drop = row.querySelector("[data-drop]");
      if (drop) drop.addEventListener("click", async () => {
        if (confirm("放弃这条检查记录？本机上的内容将被删除。")) { await OfflineDB.deleteVisit(id); outbox(); }
      });
      const edit = row.querySelector("[data-edit]");
      if (edit) edit.addEventListener("click", async (event) => {
        event.preventDefault();  // back to a draft first, then the form
        const v = await OfflineDB.getVisit(id);
        await OfflineDB.putVisit({ ...v, status: "draft" });
        location.hash = "#/visit/" + id;
      });
    });
  }

  // --- sending ----------------------------------------------------------------------------------------
  function payload(v) {
    const data = new FormData();
    const visit = {
      client_uuid: v.uuid, business: v.business, checklist: v.checklist, assignment: v.assignment || null,
      kind: v.kind, started_at: v.started_at, answers: v.answers, outcome: v.outcome,
      deadline: v.outcome === "rectify" ? v.deadline : null,
      requirements_text: v.outcome === "rectify" ? v.requirements_text : "", notes: v.notes,
      licences: Object.fromEntries(Object.entries(v.licences).filter(([, c]) => c.held !== null)
        .map(([typeId, c]) => [typeId, { held: c.held, displayed: c.displayed === null ? false : c.displayed }])),
    };
    data.append("visit", JSON.stringify(visit));
    for (const p of v.photos) { data.append("photos", p.blob, p.name || "photo.jpg"); data.append("photo_items", p.item || ""); }
    return data;
  }

  async function freshToken() {
    const response = await fetch(cfg.shell, { credentials: "same-origin", cache: "no-store" });
    const text = await response.text();
    const match = text.match(/name="csrf-token" content="([^"]+)"/);
    if (match) document.querySelector('meta[name="csrf-token"]').content = match[1];
  }

  async function send(v, retried) {
    let response;
    try {
      response = await fetch(cfg.submit, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf(), Accept: "application/json" }, body: payload(v) });
    } catch (error) {
      return { status: "queued", message: "没有信号，稍后自动上传。" };  // the network dropped: try again later
    }
    let answer = {};
    try { answer = await response.json(); } catch (error) { answer = {}; }
    if (response.status === 201 || response.status === 200) return { status: "sent", message: "", server: answer.id };
    if (response.status === 403 && answer.code === "csrf_failed" && !retried) { await freshToken(); return send(v, true); }
    if (response.status === 409) return { status: "conflict", message: answer.message || "与服务器上的记录冲突。", code: answer.code };
    if (response.status === 400) {
      const fields = Object.entries(answer.fields || {}).map(([k, m]) => `${k}：${[].concat(m).join("；")}`).join("\n");
      return { status: "invalid", message: (answer.message || "内容有误。") + (fields ? "\n" + fields : "") };
    }
    if (response.status === 401) return { status: "queued", message: "登录已过期：请在有信号时重新登录，记录会保留。" };
    if (response.status === 404) return { status: "conflict", message: "这家单位已不在您的管辖范围内（或已不存在）。", code: "not_found" };
    return { status: "queued", message: `服务器暂时无法接收（${response.status}），稍后自动重试。` };
  }

  async function sync() {
    if (syncing || !navigator.onLine) return;
    syncing = true;
    let sent = 0;
    let stale = false;
    try {
      const visits = (await OfflineDB.allVisits()).filter((v) => v.user === cfg.user && v.status === "queued");
      for (const v of visits) {
        const result = await send(v, false);
        const current = await OfflineDB.getVisit(v.uuid);
        if (!current) continue;
        Object.assign(current, result);
        if (result.status === "sent") { current.photos = []; sent += 1; }  // the server has them now
        if (result.code === "checklist_changed") stale = true;  // the copy holds the old version
        await OfflineDB.putVisit(current);
      }
      if ((sent || stale) && navigator.onLine) { try { await download(); } catch (error) { /* keep the old copy */ } }
    } finally {
      syncing = false;
      await refreshCount();
      body.dataset.synced = String(Date.now());
    }
  }

  // --- start ------------------------------------------------------------------------------------------
  async function route() {
    const hash = location.hash || "#/";
    if (hash.startsWith("#/visit/")) return visitPage(hash.slice(8));
    if (hash === "#/outbox") return outbox();
    return home();
  }

  async function start() {
    showNet();
    if ("serviceWorker" in navigator) {
      try { await navigator.serviceWorker.register(cfg.sw, { scope: cfg.shell }); } catch (error) { /* the page works online without it */ }
    }
    await loadWork();
    window.addEventListener("hashchange", route);
    window.addEventListener("online", () => { showNet(); sync().then(route); });
    window.addEventListener("offline", showNet);
    setInterval(() => sync(), SYNC_EVERY_MS);
    await route();
    await sync();
    body.dataset.ready = "1";
  }

  start();
})();
