package io.novacron.control.ui;

import io.novacron.control.audit.AuditView;

import io.novacron.control.model.ModelsView;

import io.novacron.control.run.RunsView;

import io.novacron.control.vm.VmsView;

import io.novacron.control.node.NodesView;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.spring.security.AuthenticationContext;
import io.novacron.control.security.Role;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.Scroller;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import jakarta.annotation.security.PermitAll;
import org.springframework.beans.factory.annotation.Value;

/** The frame of every dashboard page: title bar with the signed-in user, and the side navigation. */
@PermitAll
public class MainLayout extends AppLayout {

  MainLayout(@Value("${novacron.temporal.ui-url}") String temporalUi, AuthenticationContext authentication) {
    Span title = new Span("NovaCron");
    title.getStyle().set("font-size", "var(--lumo-font-size-l)").set("font-weight", "600");
    Span user = new Span(authentication.getPrincipalName().orElse("") + " ("
        + Role.highest(authentication.getGrantedAuthorities()).map(Role::id).orElse("no role") + ")");
    user.setId("signed-in-user");
    user.getStyle().set("margin-left", "auto").set("font-size", "var(--lumo-font-size-s)");
    Button signOut = new Button("Sign out", click -> authentication.logout());
    signOut.setId("sign-out");
    signOut.getStyle().set("margin-right", "var(--lumo-space-m)");
    addToNavbar(new DrawerToggle(), title, user, signOut);

    SideNav nav = new SideNav();
    nav.addItem(
        new SideNavItem("Overview", OverviewView.class, VaadinIcon.DASHBOARD.create()),
        new SideNavItem("Nodes", NodesView.class, VaadinIcon.SERVER.create()),
        new SideNavItem("VMs", VmsView.class, VaadinIcon.CUBES.create()),
        new SideNavItem("Runs", RunsView.class, VaadinIcon.TASKS.create()),
        new SideNavItem("Models", ModelsView.class, VaadinIcon.CLUSTER.create()));
    if (authentication.hasRole(Role.OPERATOR_NAME)) {
      nav.addItem(new SideNavItem("Audit", AuditView.class, VaadinIcon.RECORDS.create()));
    }
    nav.addItem(new SideNavItem("Temporal Web UI", temporalUi, VaadinIcon.EXTERNAL_LINK.create()));
    nav.setId("side-nav");
    Scroller scroller = new Scroller(nav);
    scroller.getStyle().set("padding", "var(--lumo-space-s)");
    addToDrawer(scroller);
  }
}
