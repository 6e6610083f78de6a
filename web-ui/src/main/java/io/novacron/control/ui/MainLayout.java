package io.novacron.control.ui;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.Scroller;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import org.springframework.beans.factory.annotation.Value;

/** The frame of every dashboard page: title bar and the side navigation. */
public class MainLayout extends AppLayout {

  MainLayout(@Value("${novacron.temporal.ui-url}") String temporalUi) {
    Span title = new Span("NovaCron");
    title.getStyle().set("font-size", "var(--lumo-font-size-l)").set("font-weight", "600");
    addToNavbar(new DrawerToggle(), title);

    SideNav nav = new SideNav();
    nav.addItem(
        new SideNavItem("Overview", OverviewView.class, VaadinIcon.DASHBOARD.create()),
        new SideNavItem("Nodes", NodesView.class, VaadinIcon.SERVER.create()),
        new SideNavItem("VMs", VmsView.class, VaadinIcon.CUBES.create()),
        new SideNavItem("Runs", RunsView.class, VaadinIcon.TASKS.create()),
        new SideNavItem("Models", ModelsView.class, VaadinIcon.CLUSTER.create()),
        new SideNavItem("Temporal Web UI", temporalUi, VaadinIcon.EXTERNAL_LINK.create()));
    nav.setId("side-nav");
    Scroller scroller = new Scroller(nav);
    scroller.getStyle().set("padding", "var(--lumo-space-s)");
    addToDrawer(scroller);
  }
}
