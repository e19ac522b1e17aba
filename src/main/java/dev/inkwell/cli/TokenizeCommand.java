package dev.inkwell.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
        description = "Show CLIP token ids and token strings of each TEXT.")
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

    @Override
    public Integer call() throws Exception {
        if (which != 1 && which != 2) {
            throw new IllegalArgumentException("--tokenizer must be 1 or 2, not " + which);
        }
        ClipTokenizer tokenizer = model == null
                ? ClipTokenizer.openAiDefault()
                : ClipTokenizer.fromDirectory(model.resolve(which == 1 ? "tokenizer" : "tokenizer_2"));
        ObjectMapper mapper = new ObjectMapper();
        for (String text : texts) {
            int[] ids = tokenizer.encode(text);
            int[] fed = tokenizer.encodeForModel(text);
            List<String> tokens = tokenizer.tokenStrings(ids);
            if (json) {
                ObjectNode o = mapper.createObjectNode();
                o.put("text", text);
                o.set("ids", mapper.valueToTree(ids));
                o.set("tokens", mapper.valueToTree(tokens));
                o.put("count", ids.length);
                o.set("ids_77", mapper.valueToTree(fed));
                out().println(mapper.writeValueAsString(o));
            } else {
                out().println(text);
                out().println("  count:  " + ids.length + (ids.length > tokenizer.maxLength()
                        ? " (truncated to " + tokenizer.maxLength() + " for the text encoder)" : ""));
                out().println("  ids:    " + Arrays.toString(ids));
                out().println("  tokens: " + String.join(" ", tokens));
                out().println("  ids_" + tokenizer.maxLength() + ": " + Arrays.toString(fed));
            }
        }
        return 0;
    }
}
