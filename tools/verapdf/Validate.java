// Validates PDF files with veraPDF's Java library, for several flavours in one JVM start.
//
// Usage: java -cp <veraPDF jar>:<JAXB jars>:<dir of this class> Validate FLAVOUR[,FLAVOUR...] FILE...
// A file argument "@LIST" reads file names from LIST, one a line; a name may be followed by
// a tab and its own flavours (e.g. "out/a.pdf<TAB>ua1,2b"), which then replace the default.
// Flavour ids are veraPDF's: ua1 (PDF/UA-1), 2u (PDF/A-2u), 2b (PDF/A-2b), ...
//
// Prints one line per file and flavour, then one line per failed rule:
//   RESULT<TAB>file<TAB>flavour<TAB>PASS|FAIL<TAB>rules checked<TAB>rules failed<TAB>checks failed
//   RULE<TAB>file<TAB>flavour<TAB>clause-test<TAB>failed checks<TAB>description
//   ERROR<TAB>file<TAB>message          (a file veraPDF could not read)
// Exit status: 0 when every file passes every flavour, 1 otherwise, 2 on bad usage.
import java.io.BufferedReader;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.VeraPDFFoundry;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.ValidationResult;
import org.verapdf.pdfa.validation.profiles.Rule;
import org.verapdf.pdfa.validation.profiles.RuleId;

public final class Validate {
    private Validate() {
    }

    private static List<PDFAFlavour> flavours(String ids) {
        List<PDFAFlavour> out = new ArrayList<>();
        for (String id : ids.split(",")) {
            PDFAFlavour flavour = PDFAFlavour.byFlavourId(id.trim());
            if (flavour == PDFAFlavour.NO_FLAVOUR) {
                throw new IllegalArgumentException("unknown flavour: " + id);
            }
            out.add(flavour);
        }
        return out;
    }

    private static String clean(String text) {
        return text == null ? "" : text.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    private static boolean check(VeraPDFFoundry foundry, String file, List<PDFAFlavour> flavours) {
        boolean ok = true;
        for (PDFAFlavour flavour : flavours) {
            String id = flavour.getId();
            try (PDFAParser parser = foundry.createParser(new File(file), flavour)) {
                PDFAValidator validator = foundry.createValidator(flavour, false);
                ValidationResult result = validator.validate(parser);
                Map<RuleId, Integer> failed = result.getFailedChecks();
                int checks = 0;
                for (int n : failed.values()) {
                    checks += n;
                }
                int rules = result.getValidationProfile().getRules().size();
                boolean pass = result.isCompliant() && failed.isEmpty();
                ok &= pass;
                System.out.println(String.join("\t", "RESULT", file, id, pass ? "PASS" : "FAIL",
                        Integer.toString(rules), Integer.toString(failed.size()), Integer.toString(checks)));
                for (Map.Entry<RuleId, Integer> entry : failed.entrySet()) {
                    RuleId rule = entry.getKey();
                    Rule described = result.getValidationProfile().getRuleByRuleId(rule);
                    System.out.println(String.join("\t", "RULE", file, id,
                            rule.getClause() + "-" + rule.getTestNumber(), Integer.toString(entry.getValue()),
                            clean(described == null ? "" : described.getDescription())));
                }
            } catch (Exception e) {
                ok = false;
                System.out.println(String.join("\t", "ERROR", file, id, clean(e.toString())));
            }
        }
        System.out.flush();
        return ok;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Validate FLAVOUR[,FLAVOUR...] FILE|@LIST...");
            System.exit(2);
        }
        List<PDFAFlavour> defaults = flavours(args[0]);
        VeraGreenfieldFoundryProvider.initialise();
        boolean ok = true;
        try (VeraPDFFoundry foundry = Foundries.defaultInstance()) {
            for (int i = 1; i < args.length; i++) {
                if (!args[i].startsWith("@")) {
                    ok &= check(foundry, args[i], defaults);
                    continue;
                }
                try (BufferedReader reader = Files.newBufferedReader(Paths.get(args[i].substring(1)),
                        StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        if (line.isBlank()) {
                            continue;
                        }
                        String[] parts = line.split("\t", 2);
                        ok &= check(foundry, parts[0], parts.length > 1 ? flavours(parts[1]) : defaults);
                    }
                }
            }
        }
        System.exit(ok ? 0 : 1);
    }
}
