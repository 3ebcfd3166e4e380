// Run by test_pages_walk.py on each page: what is wrong with its layout, and the text it shows.
() => {
  const problems = [];
  const de = document.documentElement;
  if (de.scrollWidth > window.innerWidth + 1) {
    // name the widest elements that stick out, so the report says where to look
    const wide = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > window.innerWidth + 1 && r.width > 0 && getComputedStyle(el).position !== 'fixed') {
        const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
          (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).slice(0, 2).join('.') : '');
        if (!wide.some(w => el.closest(w.sel))) wide.push({sel: name.replace(/[^\w#.-]/g, ''), right: Math.round(r.right)});
        if (wide.length >= 3) break;
      }
    }
    problems.push(`horizontal overflow: document ${de.scrollWidth}px wide on a ${window.innerWidth}px screen (${wide.map(w => w.sel + '→' + w.right).join(', ')})`);
  }
  for (const cell of document.querySelectorAll('td, th')) {
    const style = getComputedStyle(cell);
    if (style.display === 'none' || style.visibility === 'hidden' || !cell.offsetParent) continue;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const text = node.textContent.replace(/\s+/g, '');
      if (text.length < 2) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const tops = new Set();
      for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
      if (tops.size > 1 && text.length / tops.size < 2) {
        problems.push(`squeezed table cell: "${text.slice(0, 20)}" on ${tops.size} lines`);
        break;
      }
    }
  }
  // Visible text and placeholders, for the English-word check (done in Python).
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: n => {
      const p = n.parentElement;
      if (!p || p.closest('script, style, noscript, code, pre, [data-data], .font-monospace')) return NodeFilter.FILTER_REJECT;
      return p.offsetParent || getComputedStyle(p).position === 'fixed' ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
    }
  });
  let n;
  while ((n = walker.nextNode())) texts.push(n.textContent);
  for (const el of document.querySelectorAll('[placeholder]')) texts.push(el.getAttribute('placeholder'));
  return {problems, text: texts.join(' ')};
}
