import { createRoot } from 'react-dom/client';
import { PopupApp } from './PopupApp';
import '../../components/page.css';
import { uiLanguage } from '../../components/i18n';
import '../../components/popup.css';

// Screen readers and axe read the page's language from <html lang>; the page speaks the browser's UI language.
document.documentElement.lang = uiLanguage();
createRoot(document.getElementById('root')!).render(<PopupApp />);
