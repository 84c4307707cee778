package dev.kinema.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.eval.VideoClassifier;
import dev.kinema.testing.TrainedRuns;
import dev.kinema.train.TrainedClassifier;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in a real browser: Debian's headless Chromium, driven by Selenium through Debian's
 * chromedriver at explicit paths (nothing is downloaded). It uploads a rendered video through the
 * page's form and checks what a person sees; the screenshot goes to
 * {@code kinema-serve/target/screenshots/serve-page.png}.
 */
class WebPageBrowserTest {
    static final Path CHROMIUM = Path.of(System.getProperty("kinema.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("kinema.chromedriver", "/usr/bin/chromedriver"));

    @Test
    void aPersonUploadsAVideoAndSeesTheTopClassTheTimelineAndTheFrames(@TempDir Path tmp) throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                        + ": apt-get install -y chromium chromium-driver (.ci/run installs them when missing)");
        Path data = tmp.resolve("data");
        Path run = TrainedRuns.tinySquares(data, tmp.resolve("run"));
        Path video = data.resolve("train/right/train_00.mp4");
        VideoClassifier.Classification expected;
        try (TrainedClassifier classifier = TrainedClassifier.open(run, 3)) {
            expected = classifier.classify(video);
        }
        ServeConfig config = ServeConfig.of(Map.of("squares", run)).withPort(0).withClips(3);
        try (KinemaServer server = KinemaServer.start(config)) {
            server.awaitReady(Duration.ofMinutes(1));
            WebDriver browser = chromium(tmp);
            try {
                browser.get(server.uri() + "/");
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#model option")));
                assertEquals("squares", browser.findElement(By.cssSelector("#model option")).getAttribute("value"));
                WebElement clips = browser.findElement(By.id("clips"));
                clips.clear();
                clips.sendKeys("3");
                browser.findElement(By.id("video")).sendKeys(video.toAbsolutePath().toString());
                browser.findElement(By.id("classify")).click();
                wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-state", "done"));

                List<WebElement> top = browser.findElements(By.cssSelector("#top li.top-class"));
                assertEquals(expected.top5().size(), top.size());
                assertEquals(expected.top5().get(0).label(), top.get(0).getAttribute("data-label"));
                assertTrue(top.get(0).getText().startsWith(expected.top5().get(0).label() + " "), top.get(0).getText());
                assertTrue(browser.findElement(By.id("result")).isDisplayed());
                List<WebElement> points = browser.findElements(By.cssSelector("#timeline circle.clip-point"));
                assertEquals(3, points.size(), "one point per clip on the timeline");
                for (int i = 0; i < 3; i++) {
                    assertEquals(expected.clips().get(i).label(), points.get(i).getAttribute("data-label"));
                }
                assertEquals(3, browser.findElements(By.cssSelector("#clips-table tbody tr")).size());
                WebElement sheet = browser.findElement(By.id("sheet"));
                assertTrue(sheet.getAttribute("src").startsWith("data:image/png;base64,"));
                Number width = (Number) ((org.openqa.selenium.JavascriptExecutor) browser)
                        .executeScript("return arguments[0].naturalWidth", sheet);
                assertTrue(width.intValue() > 0, "the contact sheet is a picture the browser decoded");
                assertEquals("train_00.mp4: " + expected.top5().get(0).label(),
                        browser.findElement(By.id("status")).getText().replaceAll(" \\(.*", ""));

                Path screenshots = Path.of("target", "screenshots");
                Files.createDirectories(screenshots);
                File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
                Files.copy(shot.toPath(), screenshots.resolve("serve-page.png"), StandardCopyOption.REPLACE_EXISTING);
            } finally {
                browser.quit();
            }
        }
    }

    private static WebDriver chromium(Path tmp) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=900,1500", "--user-data-dir=" + tmp.resolve("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
