// Compiles src/core/inference/kernels.wat (WebAssembly text) into kernelsWasm.ts, the
// module's bytes in base64, so that neither the product nor its tests need a compiler:
//   node scripts/build-kernels.mjs          writes kernelsWasm.ts
//   node scripts/build-kernels.mjs --check  exits 1 when kernelsWasm.ts is not what kernels.wat gives
import { readFileSync, writeFileSync } from 'node:fs';
import wabtInit from 'wabt';

const source = 'src/core/inference/kernels.wat';
const target = 'src/core/inference/kernelsWasm.ts';

const wabt = await wabtInit();
const parsed = wabt.parseWat(source, readFileSync(source, 'utf8'), { simd: true });
parsed.validate();
const { buffer } = parsed.toBinary({});
parsed.destroy();
const text = `// Generated from kernels.wat by scripts/build-kernels.mjs: edit that file, then run the script.\nexport const KERNELS_WASM_BASE64 =\n  '${Buffer.from(buffer).toString('base64')}';\n`;
if (process.argv.includes('--check')) {
  if (readFileSync(target, 'utf8') !== text) {
    console.error(`${target} is not what ${source} compiles to: run node scripts/build-kernels.mjs`);
    process.exit(1);
  }
} else writeFileSync(target, text);
