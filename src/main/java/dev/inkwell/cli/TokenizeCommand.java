package dev.inkwell.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inkwell.prompt.PromptChunker;
import dev.inkwell.prompt.TokenChunk;
import dev.inkwell.tokenizer.ClipTokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Parameters;

/** Shows how prompts are tokenized, untruncated and as fed to the text encoder. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = {"Show CLIP token ids and token strings of each TEXT, and the chunks and weights generate reads it as",
            "(75 tokens per chunk, BREAK starts one, A1111 weights parsed)."})
final class TokenizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Option(names = "--model", paramLabel = "DIR",
            description = "A diffusers model folder whose tokenizer to use (default: OpenAI's CLIP vocabulary).")
    Path model;

    @Option(names = "--tokenizer", defaultValue = "1", paramLabel = "1|2",
            description = "Which tokenizer of an SDXL model: 1 (tokenizer/) or 2 (tokenizer_2/) (default: ${DEFAULT-VALUE}).")
    int which;

    @Option(names = "--json", description = "One JSON object per text per line.")
    boolean json;

    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "The texts to tokenize.")
    List<String> texts;

    /** The chunk's tokens between its start and end token, each with its weight where that is not 1. */
    private static String weighted(ClipTokenizer tokenizer, TokenChunk chunk) {
        StringBuilder s = new StringBuilder();
        int[] ids = chunk.ids();
        for (int i = 1; i < ids.length && ids[i] != tokenizer.eosId(); i++) {
            s.append(s.length() == 0 ? "" : " ").append(tokenizer.tokenString(ids[i]));
            if (chunk.weights()[i] != 1f) {
                s.append(':').append(chunk.weights()[i]);
            }
        }
        return s.toString();
    }

    @Override
    public Integer call() throws Exception {
        if (which != 1 && which != 2) {
            throw new IllegalArgumentException("--tokenizer must be 1 or 2, not " + which);
        }
        ClipTokenizer tokenizer = model == null
                ? ClipTokenizer.openAiDefault()
                : ClipTokenizer.fromDirectory(model.resolve(which == 1 ? "tokenizer" : "tokenizer_2"));
        ObjectMapper mapper = new ObjectMapper();
        PromptChunker chunker = new PromptChunker(tokenizer);
        for (String text : texts) {
            int[] ids = tokenizer.encode(text);
            int[] fed = tokenizer.encodeForModel(text);
            List<String> tokens = tokenizer.tokenStrings(ids);
            List<TokenChunk> chunks = chunker.chunk(text).chunks();
            if (json) {
                ObjectNode o = mapper.createObjectNode();
                o.put("text", text);
                o.set("ids", mapper.valueToTree(ids));
                o.set("tokens", mapper.valueToTree(tokens));
                o.put("count", ids.length);
                o.set("ids_77", mapper.valueToTree(fed));
                ArrayNode generated = o.putArray("chunks");
                for (TokenChunk chunk : chunks) {
                    ObjectNode c = generated.addObject();
                    c.set("ids", mapper.valueToTree(chunk.ids()));
                    c.set("weights", mapper.valueToTree(chunk.weights()));
                }
                out().println(mapper.writeValueAsString(o));
            } else {
                out().println(text);
                out().println("  count:  " + ids.length + " (the text as written, start and end tokens included)");
                out().println("  ids:    " + Arrays.toString(ids));
                out().println("  tokens: " + String.join(" ", tokens));
                out().println("  generate reads it as " + chunks.size() + (chunks.size() == 1 ? " chunk" : " chunks")
                        + " of up to " + (tokenizer.maxLength() - 2) + " tokens, weights parsed (token:weight where not 1):");
                for (int c = 0; c < chunks.size(); c++) {
                    out().println("  chunk " + (c + 1) + ": " + weighted(tokenizer, chunks.get(c)));
                }
                if (ids.length > tokenizer.maxLength()) {
                    out().println("  (diffusers' own pipelines would truncate it to its first " + tokenizer.maxLength()
                            + " ids, the ids_" + tokenizer.maxLength() + " of --json)");
                }
            }
        }
        return 0;
    }
}
