package io.novacron.control.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import com.vaadin.flow.shared.Registration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;

/**
 * Re-reads a view's data on a fixed delay while it is attached and pushes the changes to the
 * browser ({@code @Push} on {@link AppShell}). Each refresh runs under the session lock through
 * {@link UI#access}; detaching the view (navigation, closed tab, expired session) stops its task.
 */
@org.springframework.stereotype.Component
public class LiveRefresh implements DisposableBean {
  private final ScheduledExecutorService executor;
  private final long periodMillis;

  LiveRefresh(@Value("${novacron.ui.refresh-millis:1000}") long periodMillis) {
    this.periodMillis = periodMillis;
    this.executor = Executors.newScheduledThreadPool(1, task -> {
      Thread thread = new Thread(task, "ui-refresh");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Runs {@code refresh} once on every attach of {@code view}, then every period until it detaches.
   * Call it from the view's constructor.
   */
  public void keepFresh(Component view, Runnable refresh) {
    view.addAttachListener(attach -> {
      refresh.run();
      UI ui = attach.getUI();
      ScheduledFuture<?> task = executor.scheduleWithFixedDelay(() -> {
        try {
          ui.access(refresh::run);
        } catch (UIDetachedException gone) {
          // The detach listener cancels this task; until then there is nothing to draw on.
        }
      }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
      Registration[] detach = new Registration[1];
      detach[0] = view.addDetachListener(event -> {
        task.cancel(false);
        detach[0].remove();
      });
    });
  }

  @Override
  public void destroy() {
    executor.shutdownNow();
  }
}
