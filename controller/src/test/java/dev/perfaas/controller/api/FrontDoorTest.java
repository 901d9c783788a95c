package dev.perfaas.controller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** A person who opens the controller's address lands on the dashboard; POST / is the seed's upload (its own tests). */
@QuarkusTest
class FrontDoorTest {

    @Test
    void getAndHeadOfTheBareAddressRedirectToTheDashboard() {
        given().redirects()
                .follow(false)
                .when()
                .get("/")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/dashboard/"));
        given().redirects()
                .follow(false)
                .when()
                .head("/")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/dashboard/"));
    }

    @Test
    void theRedirectLeadsToTheDashboardsPage() {
        given().when()
                .get("/")
                .then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("/dashboard/app.js"));
    }
}
