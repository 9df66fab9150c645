/**
 * The JSON texts (quoted, escaped, UTF-8) of strings that come back line after line:
 * states, scenario labels, the reasons of unknown answers. Encoded once and copied
 * after that; a map that fills up (strings that do not repeat) starts again.
 */
export class JsonTexts {
  private readonly texts = new Map<string, Buffer>();

  constructor(private readonly limit = 512) {}

  of(s: string): Buffer {
    let b = this.texts.get(s);
    if (b === undefined) {
      if (this.texts.size >= this.limit) this.texts.clear();
      b = Buffer.from(JSON.stringify(s));
      this.texts.set(s, b);
    }
    return b;
  }
}
