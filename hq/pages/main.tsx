import { render } from 'preact';
import '../../display/common/base.css';
import '../../display/manager/manager.css';
import { HqApp } from './app.tsx';
import './hq.css';

render(<HqApp />, document.getElementById('app')!);
