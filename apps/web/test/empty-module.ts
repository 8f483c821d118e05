// Element Plus's per-component CSS imports resolve here in unit tests (Node cannot load .css).
export {}
