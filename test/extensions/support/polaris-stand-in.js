// A stand-in for the Polaris web components (s-*) the Shopify admin defines for UI extensions. The
// real ones load from Shopify's CDN inside the admin and are not available offline; these render the
// same elements, attributes and slots plainly enough to read and screenshot what a merchant sees, and
// behave as the extensions rely on: s-button clicks, s-select's value and change event, slots of
// s-admin-action (primary-action, secondary-actions). They are no part of the product.
const css = (text) => {
  const s = new CSSStyleSheet();
  s.replaceSync(text);
  return s;
};
const base = css(':host{display:block;box-sizing:border-box}');

class Plain extends HTMLElement {
  static styles = '';
  static template = '<slot></slot>';
  static observedAttributes = ['heading', 'loading', 'tone', 'inlinesize', 'blocksize', 'background', 'disabled', 'href'];
  connectedCallback() {
    if (!this.shadowRoot) {
      const root = this.attachShadow({ mode: 'open' });
      root.adoptedStyleSheets = [base, css(this.constructor.styles)];
      root.innerHTML = this.constructor.template;
    }
    this.update();
  }
  attributeChangedCallback() {
    if (this.shadowRoot) this.update();
  }
  update() {
    const h = this.shadowRoot.querySelector('[data-heading]');
    if (h) {
      h.textContent = this.getAttribute('heading') ?? '';
      h.hidden = !this.getAttribute('heading');
    }
  }
}

const define = (name, cls) => customElements.get(name) || customElements.define(name, cls);

define('s-admin-action', class extends Plain {
  static styles = `:host{max-width:640px;margin:24px auto;background:#fff;border-radius:12px;box-shadow:0 4px 24px rgba(0,0,0,.18);font:14px/1.45 -apple-system,"Segoe UI",Inter,sans-serif;color:#303030}
    header{padding:14px 18px;border-bottom:1px solid #e3e3e3;font-weight:650;font-size:15px;display:flex;justify-content:space-between}
    main{padding:16px 18px;min-height:60px} footer{padding:12px 18px;border-top:1px solid #e3e3e3;display:flex;gap:8px;justify-content:flex-end}
    .loading{color:#616161;font-weight:400}`;
  static template = '<header><span data-heading></span><span class="loading" data-loading>Loading…</span></header><main><slot></slot></main><footer><slot name="secondary-actions"></slot><slot name="primary-action"></slot></footer>';
  update() {
    super.update();
    this.shadowRoot.querySelector('[data-loading]').hidden = !this.hasAttribute('loading') || this.getAttribute('loading') === 'false';
  }
});
define('s-admin-block', class extends Plain {
  static styles = `:host{max-width:420px;margin:24px auto;background:#fff;border-radius:12px;box-shadow:0 1px 0 rgba(0,0,0,.07),0 0 0 1px #e3e3e3;font:14px/1.45 -apple-system,"Segoe UI",Inter,sans-serif;color:#303030}
    header{padding:12px 16px 4px;font-weight:650} main{padding:8px 16px 16px}`;
  static template = '<header data-heading></header><main><slot></slot></main>';
});
define('s-stack', class extends Plain {
  static styles = ':host{display:flex;flex-direction:column;gap:12px} :host([direction="inline"]){flex-direction:row;flex-wrap:wrap;align-items:center;gap:8px} :host([gap="small"]){gap:8px} :host([gap="small-200"]){gap:4px}';
});
define('s-section', class extends Plain {
  static styles = ':host{border:1px solid #ebebeb;border-radius:10px;padding:12px} h3{margin:0 0 8px;font-size:13px;font-weight:650}';
  static template = '<h3 data-heading></h3><slot></slot>';
});
define('s-banner', class extends Plain {
  static styles = `:host{border-radius:10px;padding:10px 12px;background:#eaf4ff;border-left:4px solid #0094d5}
    :host([tone="success"]){background:#cdfee1;border-color:#29845a} :host([tone="critical"]){background:#fee9e8;border-color:#e51c00}
    :host([tone="warning"]){background:#fff1e3;border-color:#ffb800} strong{display:block;margin-bottom:2px}`;
  static template = '<strong data-heading></strong><slot></slot>';
});
define('s-button', class extends Plain {
  static styles = `:host{display:inline-block} button{font:inherit;font-weight:550;padding:6px 12px;border-radius:8px;border:1px solid #c9c9c9;background:#fff;color:#303030;cursor:pointer}
    :host([variant="primary"]) button{background:#303030;color:#fff;border-color:#303030} :host([disabled]:not([disabled="false"])) button{opacity:.45;cursor:default}
    :host([loading]:not([loading="false"])) button::after{content:" …"}`;
  static template = '<button type="button"><slot></slot></button>';
  connectedCallback() {
    super.connectedCallback();
    // A disabled Polaris button swallows the click; so does this one.
    this.addEventListener('click', (e) => {
      const d = this.getAttribute('disabled');
      if (d !== null && d !== 'false') e.stopImmediatePropagation();
    }, { capture: true });
  }
});
define('s-select', class extends HTMLElement {
  #value = '';
  get value() {
    return this.#value;
  }
  set value(v) {
    this.#value = String(v ?? '');
    this.#sync();
  }
  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [css(':host{display:block} label{display:block;font-size:13px;margin-bottom:4px} select{font:inherit;padding:6px 8px;border-radius:8px;border:1px solid #8a8a8a;min-width:280px;background:#fff}')];
    root.innerHTML = '<label><span></span><br><select></select></label>';
    root.querySelector('select').addEventListener('change', (e) => {
      this.#value = e.target.value;
      this.dispatchEvent(new Event('change', { bubbles: true }));
    });
    new MutationObserver(() => this.#sync()).observe(this, { childList: true, subtree: true, characterData: true, attributes: true });
    this.#sync();
  }
  #sync() {
    const root = this.shadowRoot;
    if (!root) return;
    root.querySelector('span').textContent = this.getAttribute('label') ?? '';
    const select = root.querySelector('select');
    select.replaceChildren(...[...this.querySelectorAll('s-option')].map((o) => new Option(o.textContent, o.getAttribute('value') ?? '')));
    select.value = this.#value;
  }
});
define('s-option', class extends HTMLElement {
  connectedCallback() {
    this.style.display = 'none';
  }
});
define('s-text', class extends Plain {
  static styles = ':host{display:inline} :host([type="strong"]){font-weight:650} :host([color="subdued"]){color:#616161} :host([tone="critical"]){color:#b31200;display:block} :host([tone="caution"]){color:#8a6116;display:block}';
});
define('s-paragraph', class extends Plain {
  static styles = ':host{margin:0}';
});
define('s-link', class extends Plain {
  static styles = 'a{color:#005bd3;text-decoration:underline}';
  static template = '<a><slot></slot></a>';
  update() {
    const a = this.shadowRoot.querySelector('a');
    a.href = this.getAttribute('href') ?? '';
    a.target = this.getAttribute('target') ?? '';
  }
});
define('s-badge', class extends Plain {
  static styles = `:host{display:inline-block;padding:2px 8px;border-radius:8px;background:#e3e3e3;font-size:12px;font-weight:550}
    :host([tone="success"]){background:#cdfee1;color:#0c5132} :host([tone="info"]){background:#e0f0ff;color:#00527c}
    :host([tone="warning"]){background:#ffd6a4;color:#5e4200} :host([tone="critical"]){background:#fedad9;color:#8e1f0b}`;
});
define('s-spinner', class extends Plain {
  static styles = ':host{display:inline-block;width:16px;height:16px;border:2px solid #c9c9c9;border-top-color:#303030;border-radius:50%}';
  static template = '';
});
define('s-box', class extends Plain {
  static styles = ':host{display:block;background:transparent;overflow:hidden} :host([background="subdued"]){background:#ebebeb} :host([background="strong"]){background:#29845a}';
  update() {
    this.style.inlineSize = this.getAttribute('inlinesize') ?? '';
    this.style.blockSize = this.getAttribute('blocksize') ?? '';
    this.style.borderRadius = this.getAttribute('borderradius') ? '6px' : '';
  }
});
define('s-unordered-list', class extends Plain {
  static styles = ':host{display:block;padding-left:18px}';
});
define('s-list-item', class extends Plain {
  static styles = ':host{display:list-item;list-style:disc;margin:2px 0}';
});
