package io.novacron.control.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.server.ErrorEvent;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One error handler for every dashboard session: a failed action (Temporal unreachable, a run that
 * ended between two clicks) becomes a notification with its message instead of a stack trace, and
 * the views need no try/catch of their own.
 */
@Component
class UiErrorHandler implements VaadinServiceInitListener {
  private static final Logger log = LoggerFactory.getLogger(UiErrorHandler.class);

  @Override
  public void serviceInit(ServiceInitEvent event) {
    event.getSource().addSessionInitListener(init -> init.getSession().setErrorHandler(UiErrorHandler::handle));
  }

  private static void handle(ErrorEvent error) {
    log.warn("dashboard action failed", error.getThrowable());
    UI ui = UI.getCurrent();
    if (ui != null) {
      ui.access(() -> {
        Notification note = Notification.show("Failed: " + error.getThrowable().getMessage(), 8000,
            Notification.Position.BOTTOM_END);
        note.addThemeVariants(NotificationVariant.LUMO_ERROR);
      });
    }
  }
}
