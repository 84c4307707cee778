// Kinema's page: lists the models, posts the chosen video as a multipart form and draws the answer.
// Plain DOM and SVG: nothing is fetched but this service's own API.
'use strict';

const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';
const models = new Map();   // name -> entry of GET /v1/models (classes, card)
const COLOURS = ['#3b82f6', '#ef4444', '#10b981', '#f59e0b', '#8b5cf6', '#ec4899', '#14b8a6', '#64748b'];

function headers() {
  const token = $('token').value.trim();
  return token ? { Authorization: 'Bearer ' + token } : {};
}

function say(text, error) {
  $('status').textContent = text;
  $('status').className = error ? 'error' : '';
}

async function loadModels() {
  const response = await fetch('v1/models', { headers: headers() });
  const body = await response.json();
  if (!response.ok) { say(body.error, true); return; }
  body.forEach((m) => models.set(m.name, m));
  $('model').replaceChildren(...body.map((m) => new Option(m.name + ' (' + m.classes.length + ' classes)', m.name)));
}

function svg(name, attributes, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

// One point per clip at its middle, height its top class's probability, coloured by class.
function drawTimeline(clips) {
  const plot = $('timeline');
  plot.replaceChildren();
  const W = 640, H = 220, left = 40, right = 10, top = 10, bottom = 40;
  const end = Math.max(...clips.map((c) => c.end), 1e-6);
  const x = (t) => left + (W - left - right) * t / end;
  const y = (p) => top + (H - top - bottom) * (1 - p);
  plot.append(svg('line', { x1: left, y1: y(0), x2: W - right, y2: y(0), stroke: '#888' }));
  plot.append(svg('line', { x1: left, y1: y(0), x2: left, y2: y(1), stroke: '#888' }));
  for (const p of [0, 0.5, 1]) plot.append(svg('text', { x: 4, y: y(p) + 4, 'font-size': 11 }, p.toFixed(1)));
  plot.append(svg('text', { x: W - 80, y: H - 22, 'font-size': 11 }, end.toFixed(2) + ' s'));
  const labels = [...new Set(clips.map((c) => c.label))];
  const colour = (label) => COLOURS[labels.indexOf(label) % COLOURS.length];
  plot.append(svg('polyline', {
    points: clips.map((c) => x((c.start + c.end) / 2) + ',' + y(c.probability)).join(' '),
    fill: 'none', stroke: '#bbb'
  }));
  clips.forEach((c, i) => {
    plot.append(svg('rect', { x: x(c.start), y: y(0) + 4, width: Math.max(1, x(c.end) - x(c.start)), height: 6,
      fill: colour(c.label), opacity: 0.5 }));
    const dot = svg('circle', { cx: x((c.start + c.end) / 2), cy: y(c.probability), r: 5, fill: colour(c.label),
      class: 'clip-point', 'data-label': c.label });
    dot.append(svg('title', {}, 'clip ' + (i + 1) + ': ' + c.label + ' ' + (100 * c.probability).toFixed(1) + '%'));
    plot.append(dot);
  });
  labels.forEach((label, i) => {
    plot.append(svg('rect', { x: left + i * 120, y: H - 14, width: 10, height: 10, fill: colour(label) }));
    plot.append(svg('text', { x: left + i * 120 + 14, y: H - 5, 'font-size': 11 }, label));
  });
}

function show(result) {
  $('top').replaceChildren(...result.top5.map((p) => {
    const li = document.createElement('li');
    li.className = 'top-class';
    li.dataset.label = p.label;
    li.textContent = p.label + ' ' + (100 * p.probability).toFixed(1) + '%';
    const bar = document.createElement('span');
    bar.className = 'bar';
    bar.style.width = Math.round(200 * p.probability) + 'px';
    li.append(bar);
    return li;
  }));
  drawTimeline(result.clips);
  $('clips-table').tBodies[0].replaceChildren(...result.clips.map((c, i) => {
    const row = document.createElement('tr');
    for (const v of [i + 1, c.start.toFixed(2) + '–' + c.end.toFixed(2), c.label, (100 * c.probability).toFixed(1) + '%']) {
      const td = document.createElement('td');
      td.textContent = v;
      row.append(td);
    }
    return row;
  }));
  if (result.contactSheet) $('sheet').src = result.contactSheet;
  if (result.flowSheet) $('flow').src = result.flowSheet;
  $('flow-view').hidden = !result.flowSheet;
  $('result').hidden = false;
}

async function classify(event) {
  event.preventDefault();
  const file = $('video').files[0];
  if (!file) { say('choose a video first', true); return; }
  const form = new FormData();
  form.append('video', file, file.name);
  // The flow view only for models that see motion as optical flow (their card's modality says so).
  const card = models.get($('model').value)?.card;
  const usesFlow = card && card.input && card.input.modality !== 'RGB';
  const url = 'v1/models/' + encodeURIComponent($('model').value) + '/classify?sheet=1&clips='
    + encodeURIComponent($('clips').value) + (usesFlow ? '&flow=1' : '');
  say('classifying ' + file.name + ' …');
  $('classify').disabled = true;
  try {
    const response = await fetch(url, { method: 'POST', body: form, headers: headers() });
    const body = await response.json();
    if (!response.ok) { say(response.status + ': ' + body.error, true); return; }
    show(body);
    say(body.video + ': ' + body.top5[0].label + ' (' + (100 * body.top5[0].probability).toFixed(1) + '%)');
    document.body.dataset.state = 'done';
  } catch (e) {
    say('the request failed: ' + e.message, true);
  } finally {
    $('classify').disabled = false;
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('upload').addEventListener('submit', classify);
  $('token').addEventListener('change', loadModels);
  loadModels().catch((e) => say('could not list the models: ' + e.message, true));
});
