/**
 * The theme variables VS Code sets on a webview's root element (a subset of Dark
 * Modern and Light Modern, the ones the panel reads), with the body class it sets.
 */
export interface TestTheme {
  bodyClass: 'vscode-dark' | 'vscode-light' | 'vscode-high-contrast';
  vars: Record<string, string>;
}

const common = {
  '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-inputValidation-infoBorder': '#007acc',
  '--vscode-inputValidation-warningBorder': '#b89500',
  '--vscode-inputValidation-errorBorder': '#be1100',
};

export const DARK: TestTheme = {
  bodyClass: 'vscode-dark',
  vars: {
    ...common,
    '--vscode-foreground': '#cccccc',
    '--vscode-descriptionForeground': '#9d9d9d',
    '--vscode-editor-background': '#1f1f1f',
    '--vscode-editorWidget-background': '#202020',
    '--vscode-widget-border': '#313131',
    '--vscode-panel-border': '#2b2b2b',
    '--vscode-charts-foreground': '#cccccc',
    '--vscode-charts-lines': 'rgba(204, 204, 204, 0.5)',
    '--vscode-charts-red': '#f14c4c',
    '--vscode-charts-blue': '#3794ff',
    '--vscode-charts-yellow': '#cca700',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-green': '#89d185',
    '--vscode-charts-purple': '#b180d7',
    '--vscode-button-background': '#0078d4',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-button-hoverBackground': '#026ec1',
    '--vscode-button-secondaryBackground': '#313131',
    '--vscode-button-secondaryForeground': '#cccccc',
    '--vscode-badge-background': '#616161',
    '--vscode-badge-foreground': '#f8f8f8',
    '--vscode-dropdown-background': '#313131',
    '--vscode-dropdown-foreground': '#cccccc',
    '--vscode-dropdown-border': '#3c3c3c',
    '--vscode-inputValidation-infoBackground': '#063b49',
    '--vscode-inputValidation-warningBackground': '#352a05',
    '--vscode-inputValidation-errorBackground': '#5a1d1d',
  },
};

export const LIGHT: TestTheme = {
  bodyClass: 'vscode-light',
  vars: {
    ...common,
    '--vscode-foreground': '#3b3b3b',
    '--vscode-descriptionForeground': '#6f6f6f',
    '--vscode-editor-background': '#ffffff',
    '--vscode-editorWidget-background': '#f8f8f8',
    '--vscode-widget-border': '#e5e5e5',
    '--vscode-panel-border': '#e5e5e5',
    '--vscode-charts-foreground': '#616161',
    '--vscode-charts-lines': 'rgba(97, 97, 97, 0.5)',
    '--vscode-charts-red': '#e51400',
    '--vscode-charts-blue': '#1a85ff',
    '--vscode-charts-yellow': '#bf8803',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-green': '#388a34',
    '--vscode-charts-purple': '#652d90',
    '--vscode-button-background': '#005fb8',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-button-hoverBackground': '#0258a8',
    '--vscode-button-secondaryBackground': '#e5e5e5',
    '--vscode-button-secondaryForeground': '#3b3b3b',
    '--vscode-badge-background': '#cccccc',
    '--vscode-badge-foreground': '#3b3b3b',
    '--vscode-dropdown-background': '#ffffff',
    '--vscode-dropdown-foreground': '#3b3b3b',
    '--vscode-dropdown-border': '#cecece',
    '--vscode-inputValidation-infoBackground': '#d6ecf2',
    '--vscode-inputValidation-warningBackground': '#f6f5d2',
    '--vscode-inputValidation-errorBackground': '#f2dede',
  },
};
