package dev.inkwell.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.pipeline.StableDiffusion;
import dev.inkwell.storybook.StorybookModel;
import dev.inkwell.tensor.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in real headless Chromium (Debian's chromium and chromium-driver; .ci/run installs them):
 * an image generated from the Generate tab, and a 3-frame story whose strip fills frame by frame.
 */
class PageBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @Test
    void generatesAnImageAndAStoryFromThePage() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "the browser test needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        try (InkwellServer server = new InkwellServer(
                Map.of(StorybookModel.NAME, StableDiffusion.load(StorybookModel.folder(), Precision.FLOAT32)),
                new InkwellServer.Settings("127.0.0.1", 0, null, 4, 256, 100, 4, 1 << 20))) {
            String url = "http://127.0.0.1:" + server.start() + "/";
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900");
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
            ChromeDriver browser = new ChromeDriver(service, options);
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(120));
                browser.get(url);
                wait.until(d -> d.findElements(By.cssSelector("#g-sampler option")).size() > 1);
                browser.findElement(By.id("g-steps")).clear();
                browser.findElement(By.id("g-steps")).sendKeys("10");
                browser.findElement(By.id("g-seed")).clear();
                browser.findElement(By.id("g-seed")).sendKeys("3");
                browser.findElement(By.id("g-run")).click();
                wait.until(d -> !d.findElements(By.cssSelector("#g-images img")).isEmpty());
                JavascriptExecutor js = browser;
                wait.until(d -> ((Number) js.executeScript("return document.querySelector('#g-images img').naturalWidth")).intValue() == 64);
                String caption = browser.findElement(By.cssSelector("#g-images figcaption")).getText();
                assertTrue(caption.contains("Seed: 3"), caption);
                assertEquals("", browser.findElement(By.id("g-error")).getText());
                screenshot(browser, "server-generate.png");

                browser.findElement(By.id("tab-story")).click();
                browser.findElement(By.id("s-steps")).clear();
                browser.findElement(By.id("s-steps")).sendKeys("25");
                browser.findElement(By.id("s-run")).click();
                List<Long> seen = new ArrayList<>();
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (System.nanoTime() < deadline) {
                    long loaded = (Long) js.executeScript(
                            "return [...document.querySelectorAll('#s-strip img')].filter(i => i.complete && i.naturalWidth > 0).length");
                    if (seen.isEmpty() || seen.get(seen.size() - 1) != loaded) {
                        seen.add(loaded);
                    }
                    if (loaded == 3 && browser.findElement(By.id("s-status")).getText().equals("done")) {
                        break;
                    }
                    Thread.sleep(25);
                }
                assertEquals(3L, seen.get(seen.size() - 1), "all three frames shown: " + seen);
                assertTrue(seen.contains(1L) || seen.contains(2L), "the strip fills frame by frame, seen " + seen);
                assertTrue(browser.findElement(By.id("s-downloads")).isDisplayed(), "strip and manifest offered");
                assertEquals("", browser.findElement(By.id("s-error")).getText());
                screenshot(browser, "server-story.png");
            } finally {
                browser.quit();
            }
        }
    }

    /** Into target/screenshots/, from where docs/ takes its copies. */
    private static void screenshot(ChromeDriver browser, String name) throws Exception {
        Path folder = Files.createDirectories(Path.of("target", "screenshots"));
        Files.write(folder.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
    }
}
