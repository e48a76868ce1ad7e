// The Java bindings that xjc makes from specs/dashboard/applications.xsd (package
// com.bandwidth.apps.dashboard): read every valid Dashboard vector through them, with the XSD
// checking each one, then write one Application and create it on a running sandbox (OAuth 2.0
// client credentials first, as on the real API). Prints one line a step; exits 1 on a failure.
// Usage: java -cp build:JAXB_JARS Bindings XSD BASE_URL ACCOUNT CLIENT_ID CLIENT_SECRET VECTOR...
import com.bandwidth.apps.dashboard.ApplicationRequest;
import com.bandwidth.apps.dashboard.CallbackMethod;
import com.bandwidth.apps.dashboard.ObjectFactory;
import com.bandwidth.apps.dashboard.ServiceType;
import java.io.File;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.bind.JAXBContext;
import javax.xml.bind.JAXBIntrospector;
import javax.xml.bind.Marshaller;
import javax.xml.bind.Unmarshaller;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;

public class Bindings {
    public static void main(String[] args) throws Exception {
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "file");
        Schema schema = factory.newSchema(new File(args[0]));
        JAXBContext context = JAXBContext.newInstance(ObjectFactory.class);

        Unmarshaller reader = context.createUnmarshaller();
        reader.setSchema(schema); // a vector the XSD refuses is an exception, not a partial object
        for (String vector : Arrays.copyOfRange(args, 5, args.length)) {
            Object value = JAXBIntrospector.getValue(reader.unmarshal(new File(vector)));
            System.out.println("read " + vector + " as " + value.getClass().getSimpleName());
        }

        ObjectFactory make = new ObjectFactory();
        ApplicationRequest application = make.createApplicationRequest();
        application.setServiceType(ServiceType.VOICE_V_2);
        application.setAppName("java-xjc");
        application.setCallInitiatedCallbackUrl("https://example.com/java/voice");
        application.setCallInitiatedMethod(CallbackMethod.GET);
        application.setCallbackTimeout(15);
        Marshaller writer = context.createMarshaller();
        writer.setSchema(schema);
        StringWriter xml = new StringWriter();
        writer.marshal(make.createApplication(application), xml);
        System.out.println("wrote " + xml);

        String base = args[1];
        HttpClient http = HttpClient.newHttpClient();
        String login = Base64.getEncoder().encodeToString((args[3] + ":" + args[4]).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> token = http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/oauth2/token"))
                .header("Authorization", "Basic " + login)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
        Matcher accessToken = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(token.body());
        if (token.statusCode() != 200 || !accessToken.find()) throw new IllegalStateException("token: " + token.statusCode());
        HttpResponse<String> created = http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/accounts/" + args[2] + "/applications"))
                .header("Authorization", "Bearer " + accessToken.group(1))
                .header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString(xml.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
        System.out.println("created " + created.statusCode() + " " + created.body());
        System.exit(created.statusCode() == 201 ? 0 : 1);
    }
}
