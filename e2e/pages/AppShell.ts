import type { Locator, Page } from '@playwright/test';

export type ViewName = 'explorer' | 'stock' | 'digits' | 'why';

/** The frame around every view: header, language and theme switches, tabs, status bar. */
export class AppShell {
  readonly heading: Locator;
  readonly tabs: Locator;
  readonly engineBadge: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('banner').getByRole('heading', { level: 1 });
    this.tabs = page.getByRole('navigation');
    this.engineBadge = page.getByTestId('engine-badge');
  }

  async open(view: ViewName = 'explorer', query = ''): Promise<void> {
    await this.page.goto(`./${query}#/${view}`);
    await this.heading.waitFor();
  }

  languageButton(label: 'EN' | '한국어'): Locator {
    return this.page.getByRole('banner').getByRole('button', { name: label, exact: true });
  }

  async switchLanguage(label: 'EN' | '한국어'): Promise<void> {
    await this.languageButton(label).click();
  }

  tab(name: string | RegExp): Locator {
    return this.tabs.getByRole('link', { name });
  }
}
