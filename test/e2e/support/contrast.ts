import type { Frame } from "playwright-core";

export interface LowContrast {
  text: string;
  ratio: number;
  color: string;
  background: string;
}

/**
 * Every visible text of a page whose contrast with what is behind it is below `minimum` (WCAG
 * 2 ratio; colours with alpha are blended over the background first). HTML text is measured
 * against the nearest opaque background up the tree; SVG text by its fill against the shape it
 * sits on (the first rect of its group), else the page background. Disabled controls are exempt,
 * as WCAG exempts inactive components.
 */
export interface ContrastReport {
  /** How many text elements were measured: a check that measured nothing proves nothing. */
  measured: number;
  failures: LowContrast[];
}

export function lowContrastTexts(frame: Frame, minimum = 4.5): Promise<ContrastReport> {
  // Sent as source text: tsx names inner functions through a `__name` helper the page lacks.
  return frame.evaluate(`(() => { const __name = (f) => f; return (${probe.toString()})(${minimum}); })()`);
}

function probe(min: number): ContrastReport {
  {
    type Rgba = [number, number, number, number];
    const probe = document.createElement("canvas").getContext("2d") as CanvasRenderingContext2D;
    const parse = (css: string): Rgba => {
      probe.clearRect(0, 0, 1, 1);
      probe.fillStyle = "#000";
      probe.fillStyle = css;
      probe.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
      return [r ?? 0, g ?? 0, b ?? 0, (a ?? 255) / 255];
    };
    const over = (top: Rgba, bottom: Rgba): Rgba => [
      top[0] * top[3] + bottom[0] * (1 - top[3]),
      top[1] * top[3] + bottom[1] * (1 - top[3]),
      top[2] * top[3] + bottom[2] * (1 - top[3]),
      1,
    ];
    const luminance = ([r, g, b]: Rgba) => {
      const channel = (value: number) => {
        const c = value / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const ratio = (a: Rgba, b: Rgba) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
      return (hi + 0.05) / (lo + 0.05);
    };
    const pageBackground = over(parse(getComputedStyle(document.body).backgroundColor), [255, 255, 255, 1]);
    const backgroundOf = (element: Element): Rgba => {
      const layers: Rgba[] = [];
      for (let at: Element | null = element; at; at = at.parentElement) {
        const colour = parse(getComputedStyle(at).backgroundColor);
        if (colour[3] > 0) layers.push(colour);
        if (colour[3] >= 1) break;
      }
      return layers.reduceRight<Rgba>((below, layer) => over(layer, below), pageBackground);
    };
    const failures: { text: string; ratio: number; color: string; background: string }[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set<Element>();
    let measured = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      if (!element || seen.has(element) || !(node.textContent ?? "").trim()) continue;
      seen.add(element);
      if (element.closest("title, style, script, [hidden], option") || element.closest("button:disabled")) continue;
      const box = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      if (box.width === 0 || box.height === 0 || style.visibility === "hidden" || style.display === "none") continue;
      let foreground: Rgba;
      let background: Rgba;
      if (element instanceof SVGElement) {
        foreground = parse(style.fill);
        const shape = element.closest("g")?.querySelector("rect");
        background = shape ? over(parse(getComputedStyle(shape).fill), pageBackground) : pageBackground;
      } else {
        background = backgroundOf(element);
        foreground = parse(style.color);
      }
      const value = ratio(over(foreground, background), background);
      measured++;
      if (value < min) {
        failures.push({
          text: (node.textContent ?? "").trim().slice(0, 60),
          ratio: Math.round(value * 100) / 100,
          color: element instanceof SVGElement ? style.fill : style.color,
          background: `rgb(${background.slice(0, 3).map(Math.round).join(", ")})`,
        });
      }
    }
    return { measured, failures };
  }
}
