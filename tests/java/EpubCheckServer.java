import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * EPUBCheck for the test suite: one JVM that checks a book per line of tab-separated
 * arguments read from standard input, answering "epubcheck-exit CODE" on standard output.
 * Its start-up (loading and compiling the schemas, about 8 s) is paid once, not per book.
 */
public final class EpubCheckServer {
    public static void main(String[] ignored) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream answers = System.out;
        System.setOut(System.err);
        for (String line; (line = in.readLine()) != null; ) {
            int code;
            try {
                code = new com.adobe.epubcheck.tool.EpubChecker().run(line.split("\t"));
            } catch (Throwable error) {
                error.printStackTrace();
                code = -1;
            }
            answers.println("epubcheck-exit " + code);
            answers.flush();
        }
    }
}
