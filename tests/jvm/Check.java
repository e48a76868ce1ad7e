// Every Dashboard XML vector of specs/examples, validated against the XSD with the JDK alone
// (javax.xml.validation; no jars), and each verdict compared with specs/examples/index.json:
// a vector is valid against the XSD when the index says valid, or when it breaks only a rule
// the XSD cannot state (layer "rules"); its root element must be the index's `schema`.
// Prints "file<TAB>valid|invalid<TAB>reason" a line; exits 1 if any verdict differs.
// Usage: java Check.java SPECS_DIR/dashboard/applications.xsd SPECS_DIR/examples
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;

public class Check {
    record Vector(String file, String root, boolean valid) {}

    // index.json's entries, read without a JSON library: each object of the "vectors" array
    // (depth 2; a nested "means" object sits deeper), then its top-level string and boolean fields.
    static List<String> entries(String json) {
        List<String> found = new ArrayList<>();
        int depth = 0;
        int start = -1;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                if (++depth == 2) start = i;
            } else if (c == '}') {
                if (depth-- == 2) found.add(json.substring(start, i + 1));
            }
        }
        return found;
    }

    static String field(String entry, String name) {
        Matcher value = Pattern.compile("\"" + name + "\"\\s*:\\s*(\"([^\"]*)\"|true|false)").matcher(entry);
        if (!value.find()) return null;
        return value.group(2) != null ? value.group(2) : value.group(1);
    }

    static List<Vector> dashboardVectors(Path index) throws Exception {
        List<Vector> found = new ArrayList<>();
        for (String entry : entries(Files.readString(index))) {
            if (!"dashboard".equals(field(entry, "platform"))) continue;
            boolean schemaValid = "true".equals(field(entry, "valid")) || "rules".equals(field(entry, "layer"));
            found.add(new Vector(field(entry, "file"), field(entry, "schema"), schemaValid));
        }
        return found;
    }

    static String rootName(File file) throws Exception {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        try (var input = Files.newInputStream(file.toPath())) {
            XMLStreamReader reader = factory.createXMLStreamReader(input);
            while (reader.next() != XMLStreamConstants.START_ELEMENT) {}
            return reader.getLocalName();
        }
    }

    public static void main(String[] args) throws Exception {
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        // Secure processing forbids every external access, xs:include's too: allow local files.
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "file");
        Schema schema = factory.newSchema(new File(args[0]));
        Path examples = Path.of(args[1]);
        List<Vector> vectors = dashboardVectors(examples.resolve("index.json"));
        if (vectors.isEmpty()) throw new IllegalStateException("no Dashboard vectors in the index");
        int disagreements = 0;
        for (Vector vector : vectors) {
            Validator validator = schema.newValidator();
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            String reason = "";
            boolean valid = true;
            File file = examples.resolve(vector.file()).toFile();
            try {
                validator.validate(new StreamSource(file));
                String root = rootName(file);
                if (!root.equals(vector.root())) {
                    valid = false;
                    reason = "the root is " + root + ", not " + vector.root();
                }
            } catch (org.xml.sax.SAXException error) {
                valid = false;
                reason = String.valueOf(error.getMessage()).replace('\t', ' ').replace('\n', ' ');
            }
            System.out.println(vector.file() + "\t" + (valid ? "valid" : "invalid") + "\t" + reason);
            if (valid != vector.valid()) {
                disagreements++;
                System.err.println(vector.file() + ": the JDK says " + (valid ? "valid" : "invalid"));
            }
        }
        System.exit(disagreements == 0 ? 0 : 1);
    }
}
