// The case table of an EvalLoop run report: filters, sorts and pages the rows of the JSON block #case-data.
// Only a page of rows is ever in the DOM, so 10,000-row reports stay responsive. Data reaches the page through
// textContent only: nothing from a run (inputs, outputs, rationales) is ever parsed as HTML.
(function () {
  'use strict';
  // Row layout, mirrored in CaseTableJson.cs.
  var ORDINAL = 0, ID = 1, TRIAL = 2, STATUS = 3, INPUT = 4, EXPECTED = 5, OUTPUT = 6, ERROR_KIND = 7, ERROR = 8,
    LATENCY = 9, CLUSTER = 10, SCORES = 11, METADATA = 12;
  var STATUS_ORDER = { error: 0, fail: 1, pass: 2 };
  var STATUS_CLASS = { error: 'error', fail: 'fail', pass: 'pass' };

  var dataNode = document.getElementById('case-data');
  var metaNode = document.getElementById('case-meta');
  if (!dataNode || !metaNode) { return; }
  var rows = JSON.parse(dataNode.textContent);
  var meta = JSON.parse(metaNode.textContent);
  var clusterNames = {};
  meta.clusters.forEach(function (c) { clusterNames[c.index] = c.name; });

  function byId(id) { return document.getElementById(id); }
  var search = byId('case-search'), failedOnly = byId('case-failed'), clusterSelect = byId('case-cluster'),
    scorerSelect = byId('case-scorer'), pageSizeSelect = byId('case-page-size'), body = byId('case-body'),
    countNode = byId('case-count'), pageNode = byId('case-page'), prev = byId('case-prev'), next = byId('case-next');
  var state = { sort: 'ordinal', dir: 1, page: 0, pageSize: meta.pageSize, view: rows };
  var haystacks = null;

  function haystack(i) {
    if (haystacks === null) { haystacks = new Array(rows.length); }
    var h = haystacks[i];
    if (h === undefined) {
      var r = rows[i], parts = [r[ID], r[INPUT], r[EXPECTED], r[OUTPUT], r[ERROR_KIND], r[ERROR], r[METADATA]];
      r[SCORES].forEach(function (s) { if (s) { parts.push(s[2], s[3]); } });
      h = haystacks[i] = parts.filter(function (p) { return p !== null && p !== undefined; }).join('\n').toLowerCase();
    }
    return h;
  }

  function sortKey(r) {
    var key = state.sort;
    if (key === 'ordinal') { return r[ORDINAL] * 1000 + r[TRIAL]; }
    if (key === 'case') { return r[ID]; }
    if (key === 'status') { return STATUS_ORDER[r[STATUS]]; }
    if (key === 'latency') { return r[LATENCY]; }
    if (key === 'cluster') { return r[CLUSTER]; }
    if (key === 'output') { return r[OUTPUT] || ''; }
    if (key.indexOf('score:') === 0) {
      var s = r[SCORES][Number(key.slice(6))];
      return s && s[0] !== null ? s[0] : -1;
    }
    return 0;
  }

  function compare(a, b) {
    var ka = sortKey(a), kb = sortKey(b);
    var c = ka < kb ? -1 : ka > kb ? 1 : 0;
    if (c === 0) { c = (a[ORDINAL] - b[ORDINAL]) || (a[TRIAL] - b[TRIAL]); return c; }
    return c * state.dir;
  }

  function apply() {
    var query = search.value.trim().toLowerCase();
    var failed = failedOnly.checked;
    var cluster = clusterSelect.value === '' ? null : Number(clusterSelect.value);
    var scorer = scorerSelect.value === '' ? null : Number(scorerSelect.value);
    var view = [];
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      if (failed && r[STATUS] === 'pass') { continue; }
      if (cluster !== null && r[CLUSTER] !== cluster) { continue; }
      if (scorer !== null) { var s = r[SCORES][scorer]; if (!s || s[1] === 1) { continue; } }
      if (query && haystack(i).indexOf(query) < 0) { continue; }
      view.push(r);
    }
    view.sort(compare);
    state.view = view;
    state.page = 0;
    render();
  }

  function text(tag, value, className) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    node.textContent = value === null || value === undefined ? '' : String(value);
    return node;
  }

  function cell(children, className) {
    var td = document.createElement('td');
    if (className) { td.className = className; }
    children.forEach(function (c) { if (c) { td.appendChild(c); } });
    return td;
  }

  function formatScore(value) { return value === null ? '–' : value.toFixed(3); }

  function renderRow(r) {
    var tr = document.createElement('tr');
    tr.className = 'status-' + STATUS_CLASS[r[STATUS]];
    tr.appendChild(cell([text('span', r[ORDINAL] + 1)], 'num'));
    tr.appendChild(cell([
      text('div', r[ID] + (r[TRIAL] > 1 ? ' #' + r[TRIAL] : '')),
      text('span', r[STATUS], 'badge ' + STATUS_CLASS[r[STATUS]])
    ]));
    tr.appendChild(cell([text('div', r[INPUT], 'cell'), r[METADATA] ? text('div', r[METADATA], 'small muted cell') : null]));
    tr.appendChild(cell([text('div', r[EXPECTED], 'cell')]));
    tr.appendChild(cell([text('div', r[OUTPUT], 'cell')]));
    r[SCORES].forEach(function (s) {
      if (!s) { tr.appendChild(cell([text('span', '–', 'muted')])); return; }
      tr.appendChild(cell([
        text('span', formatScore(s[0]) + ' ', ''),
        text('span', s[1] === 1 ? 'pass' : 'fail', 'badge ' + (s[1] === 1 ? 'pass' : 'fail')),
        s[2] ? text('div', s[2], 'small rationale cell') : null,
        s[3] ? text('div', s[3], 'small err cell') : null
      ]));
    });
    tr.appendChild(cell([r[ERROR_KIND] ? text('div', r[ERROR_KIND] + (r[ERROR] ? ': ' + r[ERROR] : ''), 'small err cell') : null]));
    tr.appendChild(cell([text('span', r[LATENCY].toFixed(1))], 'num'));
    tr.appendChild(cell([r[CLUSTER] >= 0 ? text('span', clusterNames[r[CLUSTER]] || ('cluster ' + r[CLUSTER]), 'small') : null]));
    return tr;
  }

  function render() {
    var total = state.view.length, size = state.pageSize;
    var pages = Math.max(1, Math.ceil(total / size));
    if (state.page >= pages) { state.page = pages - 1; }
    var start = state.page * size, end = Math.min(total, start + size);
    var fragment = document.createDocumentFragment();
    for (var i = start; i < end; i++) { fragment.appendChild(renderRow(state.view[i])); }
    body.replaceChildren(fragment);
    countNode.textContent = total === 0
      ? 'No results match (' + rows.length.toLocaleString('en') + ' in all).'
      : 'Showing ' + (start + 1).toLocaleString('en') + '–' + end.toLocaleString('en') + ' of ' + total.toLocaleString('en') +
        ' matching results (' + rows.length.toLocaleString('en') + ' in all).';
    countNode.setAttribute('data-matching', String(total));
    pageNode.textContent = 'page ' + (state.page + 1) + ' of ' + pages;
    prev.disabled = state.page === 0;
    next.disabled = state.page >= pages - 1;
  }

  var timer = null;
  search.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(apply, 150); });
  [failedOnly, clusterSelect, scorerSelect].forEach(function (control) { control.addEventListener('change', apply); });
  pageSizeSelect.addEventListener('change', function () { state.pageSize = Number(pageSizeSelect.value); state.page = 0; render(); });
  prev.addEventListener('click', function () { state.page--; render(); });
  next.addEventListener('click', function () { state.page++; render(); });
  Array.prototype.forEach.call(document.querySelectorAll('#case-table th[data-sort] button'), function (button) {
    button.addEventListener('click', function () {
      var th = button.parentNode, key = th.getAttribute('data-sort');
      state.dir = state.sort === key ? -state.dir : 1;
      state.sort = key;
      Array.prototype.forEach.call(document.querySelectorAll('#case-table th[data-sort]'), function (other) { other.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', state.dir === 1 ? 'ascending' : 'descending');
      state.view.sort(compare);
      state.page = 0;
      render();
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll('button[data-show-cluster]'), function (button) {
    button.addEventListener('click', function () {
      clusterSelect.value = button.getAttribute('data-show-cluster');
      failedOnly.checked = false;
      apply();
      byId('cases').scrollIntoView();
    });
  });
  byId('case-controls').hidden = false;
  apply();
}());
