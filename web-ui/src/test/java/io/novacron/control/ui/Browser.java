package io.novacron.control.ui;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.InvalidElementStateException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver (packages {@code chromium} and
 * {@code chromium-driver}; the launcher installs them). Flags as STACK.md lists them for root.
 */
final class Browser implements AutoCloseable {
  static final String CHROMIUM = System.getProperty("novacron.chromium", "/usr/bin/chromium");
  static final String CHROMEDRIVER = System.getProperty("novacron.chromedriver", "/usr/bin/chromedriver");
  /** A common laptop screen: the layout checks hold the pages to it (issue 18). */
  static final int WIDTH = 1440;
  static final int HEIGHT = 900;

  private final ChromeDriver driver;
  private final String base;

  Browser(int port) throws IOException {
    if (!new File(CHROMEDRIVER).canExecute() || !new File(CHROMIUM).canExecute()) {
      throw new IllegalStateException("browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
          + ": apt-get install chromium chromium-driver (starter/bin/novacron up installs them)");
    }
    Path profile = Files.createTempDirectory("novacron-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=" + WIDTH + "," + HEIGHT, "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    base = "http://127.0.0.1:" + port;
  }

  void open(String path) {
    driver.get(base + path);
  }

  String path() {
    return driver.getCurrentUrl().substring(base.length());
  }

  /** Waits (generously: TCG guests and a loaded machine are slow) until {@code condition} holds. */
  <T> T await(Duration timeout, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, timeout, Duration.ofMillis(200)).until(condition);
  }

  WebElement find(String css) {
    return await(Duration.ofSeconds(30), d -> {
      var found = d.findElements(By.cssSelector(css));
      return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
    });
  }

  /** The text of the element {@code css}, or "" while it is absent. */
  String text(String css) {
    var found = driver.findElements(By.cssSelector(css));
    return found.isEmpty() ? "" : found.get(0).getText();
  }

  boolean displayed(String css) {
    var found = driver.findElements(By.cssSelector(css));
    return !found.isEmpty() && found.get(0).isDisplayed();
  }

  int count(String css) {
    return driver.findElements(By.cssSelector(css)).size();
  }

  /** Types into the input of a Vaadin field (its {@code <input>} is a light-DOM child). */
  void type(String fieldCss, CharSequence... keys) {
    // A field can be displayed before it takes keys: one the server enables after an earlier pick
    // (a round trip, slow on a loaded machine), or one an overlay still covers. Tried again, from
    // empty, until it takes them (seen here at load average 9 on 2026-12-07: "element is not currently interactable").
    await(Duration.ofSeconds(30), d -> {
      WebElement input = find(fieldCss + " input");
      try {
        input.clear();
        input.sendKeys(keys);
        return Boolean.TRUE;
      } catch (InvalidElementStateException | StaleElementReferenceException e) {
        return null;
      }
    });
  }

  /** Signs in through the dashboard's login form and waits for the first page. */
  void signIn(String username, String password) {
    open("/login");
    find("#login input[name=username]").sendKeys(username);
    WebElement secret = find("#login input[name=password]");
    secret.sendKeys(password);
    secret.sendKeys(org.openqa.selenium.Keys.ENTER);
    await(Duration.ofSeconds(30), d -> text("#signed-in-user").startsWith(username + " "));
  }

  /** Saves what the browser shows to target/screenshots/NAME.png, for a person to look at. */
  void screenshot(String name) {
    try {
      Path dir = Path.of("target", "screenshots");
      Files.createDirectories(dir);
      Files.write(dir.resolve(name + ".png"), driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  Object script(String javascript) {
    return ((JavascriptExecutor) driver).executeScript(javascript);
  }

  @Override
  public void close() {
    driver.quit();
  }
}
