package io.novacron.control.ui;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.login.LoginI18n;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import io.novacron.control.security.LoginThrottledException;
import org.springframework.security.web.WebAttributes;

/**
 * The dashboard's sign-in page. The form posts to Spring Security's /login (with Vaadin's CSRF
 * token); a failure comes back as /login?error, and a lockout says how long it lasts.
 */
@Route("login")
@PageTitle("Sign in · NovaCron")
@AnonymousAllowed
public class LoginView extends VerticalLayout implements BeforeEnterObserver {
  private final LoginForm form = new LoginForm();

  public LoginView() {
    setSizeFull();
    setAlignItems(Alignment.CENTER);
    setJustifyContentMode(JustifyContentMode.CENTER);
    configureForm();
    add(new H1("NovaCron"), form);
  }

  private void configureForm() {
    form.setId("login");
    form.setAction("login");
    form.setForgotPasswordButtonVisible(false);
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    if (!event.getLocation().getQueryParameters().getParameters().containsKey("error")) {
      return;
    }
    LoginI18n i18n = LoginI18n.createDefault();
    Object failure = VaadinSession.getCurrent() == null ? null
        : VaadinSession.getCurrent().getSession().getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
    if (failure instanceof LoginThrottledException throttled) {
      i18n.getErrorMessage().setTitle("Sign-in refused for now");
      i18n.getErrorMessage().setMessage(throttled.getMessage());
    } else {
      i18n.getErrorMessage().setTitle("Wrong username or password");
      i18n.getErrorMessage().setMessage("Check both and try again. Repeated failures lock sign-in for a while.");
    }
    form.setI18n(i18n);
    form.setError(true);
  }
}
