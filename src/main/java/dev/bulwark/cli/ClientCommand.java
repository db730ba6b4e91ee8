package dev.bulwark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** A CLI verb that calls the management API: failures become one line on stderr and a non-zero exit. */
abstract class ClientCommand implements Callable<Integer> {
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    ClientOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            run(new ManagementClient(options), out);
            out.flush();
            return 0;
        } catch (CliException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("bulwark: " + e.getMessage());
            err.flush();
            return e.exitCode();
        }
    }

    abstract void run(ManagementClient client, PrintWriter out);

    boolean json() {
        return options.output == ClientOptions.Output.json;
    }

    static void printJson(PrintWriter out, JsonNode node) {
        try {
            out.println(node == null ? "{}" : PRETTY.writeValueAsString(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CliException("cannot print JSON: " + e.getOriginalMessage(), 1);
        }
    }
}
