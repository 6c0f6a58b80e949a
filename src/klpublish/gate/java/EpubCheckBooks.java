// EPUBCheck on many books in one Java process: EPUBCheck's own command line, run once
// per book with its JSON report written to a file of its own. A Java process per book
// costs 4-8 s of processor time to start and compile; checking a book in a warm one
// costs a fraction of that.
//
// Usage: java -cp epubcheck.jar EpubCheckBooks.java BOOK REPORT.json [BOOK REPORT.json]...
// Prints one line per book: EPUBCheck's exit code, a tab, the book.
import com.adobe.epubcheck.tool.EpubChecker;

public class EpubCheckBooks {
    public static void main(String[] args) {
        if (args.length == 0 || args.length % 2 != 0) {
            System.err.println("usage: EpubCheckBooks BOOK REPORT.json [BOOK REPORT.json]...");
            System.exit(64);
        }
        for (int i = 0; i < args.length; i += 2) {
            String[] one = {args[i], "-q", "--profile", "default", "--json", args[i + 1]};
            int code;
            try {
                code = new EpubChecker().run(one);
            } catch (Throwable thrown) {  // this book has no report; the next ones still do
                System.err.println(args[i] + ": " + thrown);
                code = -1;
            }
            System.out.println(code + "\t" + args[i]);
            System.out.flush();
        }
    }
}
