import { render } from 'preact';
import '../common/base.css';
import { ManagerApp } from './app.tsx';
import './manager.css';

render(<ManagerApp />, document.getElementById('app')!);
