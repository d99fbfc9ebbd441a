// Tailwind CSS v4 runs as a single PostCSS plugin; its entry point is app/globals.css.
const config = {
  plugins: {
    '@tailwindcss/postcss': {},
  },
};

export default config;
