// Where the app serves onnxruntime-web's runtime files (under its base path) and which ones: the default
// `onnxruntime-web` import is the JSEP build (WebGPU + WASM), which loads only these two.
export const ORT_ASSETS_DIR = 'ort';

export const ORT_RUNTIME_FILES = ['ort-wasm-simd-threaded.jsep.mjs', 'ort-wasm-simd-threaded.jsep.wasm'] as const;
