package dev.perfaas.controller.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.perfaas.controller.ApiException;
import java.io.CharConversionException;
import java.io.IOException;

/**
 * The report parser: Jackson reading a WindowReport, then ReportCheck. Its documented refusals are
 * JSON errors and Jackson's CharConversionException (ErrorMapper answers both 400) and ApiException
 * 400; anything else thrown is a finding.
 *
 * <p>{@code mvn verify} fuzzes this briefly; see the controller's pom.xml for a longer run.
 */
class ReportFuzzTest {

    /** As Quarkus configures its ObjectMapper: every module on the class path, unknown properties ignored. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .findAndAddModules()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    @FuzzTest(maxDuration = "20s")
    void report(byte[] input) throws IOException {
        WindowReport report;
        try {
            report = JSON.readValue(input, WindowReport.class);
        } catch (JsonProcessingException | CharConversionException e) {
            return;
        }
        try {
            ReportCheck.validate(report);
        } catch (ApiException e) {
            assertEquals(400, e.status(), e.getMessage());
        }
    }
}
