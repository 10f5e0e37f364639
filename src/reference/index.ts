// Public API of the reference module. (Stub signatures; the implementation lands in sibling files.)
export {};
