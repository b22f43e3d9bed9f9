import { Component } from '@angular/core';
import { RouterModule } from '@angular/router';
import { NxWelcome } from './nx-welcome';

@Component({
  imports: [NxWelcome, RouterModule],
  selector: 'lg-root',
  templateUrl: './app.html',
  styleUrl: './app.less',
})
export class App {
  protected title = 'console';
}
