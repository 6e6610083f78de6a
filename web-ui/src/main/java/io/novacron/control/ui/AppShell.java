package io.novacron.control.ui;

import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Push;

/**
 * The dashboard's shell. {@code @Push} keeps a WebSocket open per page, so that {@link LiveRefresh}
 * can send changes as they happen instead of the browser polling or reloading.
 */
@Push
public class AppShell implements AppShellConfigurator {}
