package dev.inkwell.tokenizer;

/** Two adjacent BPE symbols; a merge rule joins them into one symbol. */
record SymbolPair(String left, String right) {

    String joined() {
        return left + right;
    }
}
